// Renders the $assess result Bundle (docs/fhir-contract.md §3) as the clinician reads it. Texts from the
// service are inserted as text, never as HTML.
import { t } from "./i18n.js";

const BONEMET = "https://bonemetrt.org/fhir/CodeSystem/bonemet";
const EXT_RECOMMENDATION = "https://bonemetrt.org/fhir/StructureDefinition/activity-recommendation";
const EXT_PREFERENCE = "https://bonemetrt.org/fhir/StructureDefinition/regimen-preference";
const EXT_DOSE = "https://bonemetrt.org/fhir/StructureDefinition/regimen-dose";
const SITUATION_SECTION = { pain: 1, "fracture-prevention": 2, mscc: 3, postoperative: 4, oligometastatic: 5 };
const SEVERITY_ORDER = { fatal: 0, error: 1, warning: 2, information: 3 };

/** Builds an element: h("p", { class: "x" }, "text", child, …). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null && v !== false) {
      el.setAttribute(k, String(v));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      el.append(child instanceof Node ? child : String(child));
    }
  }
  return el;
}

function code(concept, system = BONEMET) {
  return concept?.coding?.find((c) => c.system === system)?.code;
}

function ext(resource, url) {
  return resource?.extension?.find((e) => e.url === url);
}

/** A link to a section of the guideline. */
function sectionLink(ctx, n) {
  return h("a", { class: "guideline-link", href: `${ctx.guidelineUrl}#s${n}`, target: "_blank", rel: "noopener" }, `${t(ctx.lang, "guideline")} ${t(ctx.lang, "section", n)}`);
}

/** A service text, with every "spec §N" turned into a link to that section. */
function withLinks(ctx, text) {
  const parts = [];
  let last = 0;
  for (const m of String(text ?? "").matchAll(/spec §(\d)/g)) {
    parts.push(text.slice(last, m.index));
    parts.push(h("a", { class: "guideline-link", href: `${ctx.guidelineUrl}#s${m[1]}`, target: "_blank", rel: "noopener" }, m[0]));
    last = m.index + m[0].length;
  }
  parts.push(String(text ?? "").slice(last));
  return parts;
}

function section(id, title, ...content) {
  return h("section", { id, class: "card" }, h("h2", {}, title), ...content);
}

/** Shows an error OperationOutcome (or anything else the service answered). */
export function renderOutcome(out, body, lang) {
  const ctx = { lang, guidelineUrl: "guideline.html" };
  const issues = body?.resourceType === "OperationOutcome" ? body.issue ?? [] : [];
  out.append(section("errors", t(lang, "failed"), h("ul", { class: "issues" },
    issues.map((i) => h("li", { class: `issue ${i.severity}` }, h("span", { class: "badge" }, t(lang, "severity")[i.severity] ?? i.severity), " ",
      withLinks(ctx, i.details?.text ?? i.diagnostics ?? ""))))));
}

/** Shows a result Bundle. */
export function renderResult(out, bundle, ctx) {
  const entries = bundle.entry ?? [];
  const byUrl = new Map(entries.map((e) => [e.fullUrl, e.resource]));
  const all = entries.map((e) => e.resource);
  const of = (type) => all.filter((r) => r.resourceType === type);
  const inputs = new Map(ctx.inputs.map((r) => [`${r.resourceType}/${r.id}`, r]));
  // References to inputs are the fullUrls of their copies in the Bundle (tagged bonemet#input).
  const label = (ref) => {
    const r = byUrl.get(ref?.reference ?? "") ?? inputs.get(ref?.reference ?? "");
    if (!r) {
      return "";
    }
    const site = r.bodySite?.[0];
    return site?.text ?? site?.coding?.[0]?.display ?? r.code?.text ?? r.code?.coding?.[0]?.display ?? "";
  };

  const plan = of("CarePlan")[0];
  const scores = of("Observation").filter((o) => ["mirels-score", "rades-score"].includes(code(o.code)));
  const risks = of("RiskAssessment");
  const outcome = of("OperationOutcome")[0];
  const device = of("Device")[0];

  // Situations
  const situations = plan?.category ?? [];
  out.append(section("situations", t(ctx.lang, "situations"), situations.length === 0
    ? h("p", { class: "empty" }, t(ctx.lang, "noSituation"))
    : h("ul", {}, situations.map((c) => h("li", { class: "situation", "data-code": code(c) }, h("strong", {}, c.text ?? code(c)), " ", sectionLink(ctx, SITUATION_SECTION[code(c)] ?? 1))))));

  // Scores, each with its items, points and risk
  const scoreCards = scores.map((o) => {
    const kind = code(o.code);
    const url = entries.find((e) => e.resource === o)?.fullUrl;
    const risk = risks.find((r) => r.basis?.[0]?.reference === url);
    const prediction = risk?.prediction?.[0];
    const max = kind === "mirels-score" ? 12 : 44;
    const where = label(o.focus?.[0]) || label(risk?.condition);
    return h("article", { class: "score", "data-score": kind, "data-total": o.valueInteger },
      h("h3", {}, `${o.code?.text ?? kind}${where ? ` — ${where}` : ""}: `, h("span", { class: "total" }, String(o.valueInteger)), `/${max}`,
        " ", h("span", { class: "band", "data-band": code(o.interpretation?.[0]) }, t(ctx.lang, "bands")[code(o.interpretation?.[0])] ?? o.interpretation?.[0]?.text ?? ""), " ", sectionLink(ctx, kind === "mirels-score" ? 2 : 3)),
      h("table", { class: "items" },
        h("thead", {}, h("tr", {}, h("th", {}, t(ctx.lang, "item")), h("th", { class: "num" }, t(ctx.lang, "points")))),
        h("tbody", {}, (o.component ?? []).map((c) => h("tr", { "data-item": code(c.code) }, h("td", {}, c.code?.text ?? code(c.code)), h("td", { class: "num" }, String(c.valueInteger))))),
        h("tfoot", {}, h("tr", {}, h("th", {}, t(ctx.lang, "total")), h("th", { class: "num" }, String(o.valueInteger))))),
      prediction && h("p", { class: "risk" }, h("strong", {}, `${t(ctx.lang, "risk")} — ${prediction.outcome?.text ?? ""}: `),
        `${prediction.probabilityDecimal ?? "?"} %`, prediction.qualitativeRisk?.coding?.[0]?.code ? ` (${t(ctx.lang, "qualitative")[prediction.qualitativeRisk.coding[0].code] ?? prediction.qualitativeRisk.coding[0].code})` : ""),
      risk?.mitigation && h("p", { class: "mitigation" }, withLinks(ctx, risk.mitigation)),
      (o.note ?? []).map((n) => h("p", { class: "rationale" }, withLinks(ctx, n.text))));
  });
  out.append(section("scores", t(ctx.lang, "scores"), scoreCards.length ? scoreCards : h("p", { class: "empty" }, t(ctx.lang, "noScore"))));

  // Recommendations: the CarePlan's activities in order; regimens of one recommendation and lesion preferred first
  // A radiotherapy request keeps its regimen and guidance in coded orderDetail items (CodeX style, not in code).
  const detail = (sr, c) => (sr?.orderDetail ?? []).find((d) => d.coding?.some((x) => x.system === BONEMET && (c ? x.code === c : /^(rt|sbrt)-/.test(x.code ?? ""))));
  // An activity with regimens references a RequestGroup: its "course" action holds one option per regimen ServiceRequest.
  const activities = (plan?.activity ?? []).flatMap((a, i) => {
    const target = a.reference ? byUrl.get(a.reference.reference) : null;
    const rec = code(ext(a, EXT_RECOMMENDATION)?.valueCodeableConcept);
    const requests = target?.resourceType === "RequestGroup"
      ? ((target.action ?? []).find((x) => x.id === "course")?.action ?? []).map((o) => byUrl.get(o.resource?.reference)).filter(Boolean)
      : target ? [target] : [null];
    return requests.map((sr) => ({
      a, sr, rec, i,
      subject: sr ? sr.reasonReference?.[0]?.reference : a.detail?.reasonReference?.[0]?.reference,
      preferred: sr ? ext(sr, EXT_PREFERENCE)?.valueCode === "preferred" : true,
    }));
  });
  const groupOf = (x) => activities.findIndex((y) => y.rec === x.rec && y.subject === x.subject);
  activities.sort((x, y) => groupOf(x) - groupOf(y) || (x.preferred === y.preferred ? x.i - y.i : x.preferred ? -1 : 1));
  const recItems = activities.map(({ a, sr, rec, subject, preferred }) => {
    const where = label({ reference: subject });
    if (!sr) {
      // The description repeats the title before the rationale: show only what it adds.
      const title = a.detail?.code?.text ?? rec;
      const more = (a.detail?.description ?? "").startsWith(title) ? a.detail.description.slice(title.length).trim() : a.detail?.description;
      return h("li", { class: "rec", "data-code": rec }, h("strong", {}, title), more && h("p", { class: "rationale" }, withLinks(ctx, more)));
    }
    const dose = ext(sr, EXT_DOSE);
    const gy = dose?.extension?.find((e) => e.url === "totalDose")?.valueQuantity?.value;
    const n = dose?.extension?.find((e) => e.url === "fractions")?.valuePositiveInt;
    const regimen = code(detail(sr));
    return h("li", { class: `rec regimen ${preferred ? "preferred" : "alternative"}`, "data-code": rec, "data-regimen": regimen, "data-preference": preferred ? "preferred" : "alternative" },
      h("strong", {}, gy !== undefined && n !== undefined ? t(ctx.lang, "dose", gy, n) : detail(sr)?.text ?? regimen),
      " ", h("span", { class: `badge ${preferred ? "good" : ""}` }, t(ctx.lang, preferred ? "preferred" : "alternative")),
      sr.priority === "urgent" ? [" ", h("span", { class: "badge urgent" }, t(ctx.lang, "urgent"))] : "",
      sr.status === "on-hold" ? [" ", h("span", { class: "badge hold" }, t(ctx.lang, "onHold"))] : "",
      where ? ` — ${where}` : "", " ", sectionLink(ctx, 6),
      h("ul", { class: "notes" }, [...(sr.note ?? []).map((x) => x.text), detail(sr, "cord-eqd2")?.text].filter(Boolean).map((x) => h("li", {}, withLinks(ctx, x)))));
  });
  out.append(section("recommendations", t(ctx.lang, "recommendations"), h("ol", {}, recItems)));

  // Target-volume guidance and post-operative windows, once per lesion
  const requests = activities.filter((x) => x.sr).map((x) => x.sr);
  const targets = [...new Map(requests.map((sr) => detail(sr, "target-volume")?.text).filter(Boolean)
    .map((x) => [x, { text: x }])).values()];
  out.append(section("target-volume", t(ctx.lang, "targetVolume"), targets.length === 0
    ? h("p", { class: "empty" }, t(ctx.lang, "noTargetVolume"))
    : h("ul", {}, targets.map((x) => h("li", {}, x.text))), sectionLink(ctx, 6)));

  const windows = [...new Map(requests.filter((sr) => sr.occurrencePeriod)
    .map((sr) => [`${sr.reasonReference?.[0]?.reference}|${sr.occurrencePeriod.start}`, { where: label(sr.reasonReference?.[0]), p: sr.occurrencePeriod, hold: sr.status === "on-hold" }])).values()];
  out.append(section("postop-window", t(ctx.lang, "postopWindow"), windows.length === 0
    ? h("p", { class: "empty" }, t(ctx.lang, "noPostop"))
    : h("ul", {}, windows.map((w) => h("li", { "data-start": w.p.start, "data-end": w.p.end }, w.where ? h("strong", {}, `${w.where}: `) : "",
      t(ctx.lang, "window", w.p.start, w.p.end), w.hold ? [" ", h("span", { class: "badge hold" }, t(ctx.lang, "onHold"))] : ""))), sectionLink(ctx, 4)));

  // Missing data and caveats (the OperationOutcome); information about ignored resources folded away
  const issues = [...(outcome?.issue ?? [])].sort((x, y) => (SEVERITY_ORDER[x.severity] ?? 9) - (SEVERITY_ORDER[y.severity] ?? 9));
  const issueItem = (i) => h("li", { class: `issue ${i.severity}`, "data-code": code(i.details) },
    h("span", { class: "badge" }, t(ctx.lang, "severity")[i.severity] ?? i.severity), code(i.details) ? h("code", {}, code(i.details)) : "", " ",
    withLinks(ctx, i.details?.text ?? ""));
  const main = issues.filter((i) => !(i.severity === "information" && code(i.details) === "ignored-resource"));
  const folded = issues.filter((i) => !main.includes(i));
  out.append(section("notes", t(ctx.lang, "notes"),
    main.length === 0 && folded.length === 0 ? h("p", { class: "empty" }, t(ctx.lang, "noNotes")) : h("ul", { class: "issues" }, main.map(issueItem)),
    folded.length > 0 && h("details", {}, h("summary", {}, `ignored-resource (${folded.length})`), h("ul", { class: "issues" }, folded.map(issueItem))),
    sectionLink(ctx, 8)));

  out.append(h("footer", {}, h("p", {}, plan?.description ?? ""),
    device && h("p", { class: "engine" }, `${t(ctx.lang, "engine")} ${device.deviceName?.[0]?.name ?? ""} ${device.version?.[0]?.value ?? ""}`),
    h("p", {}, t(ctx.lang, "disclaimer"))));
}
