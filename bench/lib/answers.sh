# How two answers of the service are compared (sourced by bench/aot.sh and deploy/image/two-instances.sh): byte for
# byte, but for what differs between two calls by design.
# - Bundle.timestamp and Provenance.recorded say when an answer was made (the tests' golden-file comparison takes them
#   the same way, tests/BoneMetRT.TestSupport/Golden.cs): an instant in a "timestamp" or "recorded" member is replaced
#   by one mark; a value there that is not an instant is left as it is.
# - CDS Hooks cards and suggestions get a new uuid on each call (CDS Hooks 2.0: the client sends it back in feedback).

answers_instant='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}([.][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})'
answers_uuid='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'

# set_time_aside FILE: writes FILE.cmp, the answer with those values marked.
set_time_aside() {
  sed -E -e "s/\"(timestamp|recorded)\":\"$answers_instant\"/\"\1\":\"(when made)\"/g" \
         -e "s/\"uuid\":\"$answers_uuid\"/\"uuid\":\"(new each call)\"/g" "$1" >"$1.cmp"
}

# same_answer FILE-A FILE-B: true when the two answers are the same once set aside.
same_answer() {
  set_time_aside "$1" && set_time_aside "$2" && cmp -s "$1.cmp" "$2.cmp"
}
