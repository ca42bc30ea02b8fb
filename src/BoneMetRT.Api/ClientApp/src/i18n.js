// Every text of the app's own interface, in English and French. Clinical texts come from the service, in the
// language asked for.
const strings = {
  en: {
    title: "BoneMetRT — radiotherapy of bone metastases",
    subtitle: "Decision support from the guideline; a proposal for the treating team, not an order.",
    launching: "Connecting to the EHR…",
    noServer: "No FHIR server: open the app from the EHR (EHR launch), or add ?iss=<FHIR base URL>.",
    notAllowed: (origin) => `Launch refused: ${origin} is not an EHR this service is configured for.`,
    forbiddenParams: (names) => `Launch refused: the link carries ${names}, which would skip the EHR's authorization.`,
    notAuthorized: "No authorization from an allowed EHR: open the app from the EHR again.",
    ehr: "EHR:",
    launchFailed: "The launch failed:",
    authorizing: "Completing the authorization…",
    reading: "Reading the patient's conditions, observations and procedures…",
    read: (c, o, p) => `Read from the EHR: ${c} conditions, ${o} observations, ${p} procedures.`,
    assessing: "Assessing…",
    failed: "The assessment failed:",
    patient: "Patient:",
    assessmentDate: "Assessment date",
    recompute: "Assess again",
    language: "Language",
    situations: "Situations",
    noSituation: "No situation of the guideline applies on these data.",
    scores: "Scores",
    noScore: "No score could be computed (see missing data below).",
    item: "Item",
    points: "Points",
    total: "Total",
    risk: "Risk",
    qualitative: { negligible: "negligible", low: "low", moderate: "moderate", high: "high", certain: "certain" },
    bands: {
      "mirels-radiotherapy": "≤ 7: observation and radiotherapy alone", "mirels-tumour-board": "8: tumour board decides", "mirels-fixation": "≥ 9: prophylactic fixation first",
      "rades-group-1": "group I", "rades-group-2": "group II", "rades-group-3": "group III",
    },
    recommendations: "Recommendations",
    preferred: "preferred",
    alternative: "alternative",
    urgent: "urgent",
    onHold: "on hold",
    dose: (gy, n) => `${gy} Gy in ${n} fraction${n === 1 ? "" : "s"}`,
    targetVolume: "Target volume",
    noTargetVolume: "No radiotherapy target on these data.",
    postopWindow: "Post-operative window",
    noPostop: "No post-operative situation.",
    window: (s, e) => `start between ${s} and ${e}`,
    notes: "Missing data and caveats",
    noNotes: "Nothing to report.",
    severity: { fatal: "fatal", error: "error", warning: "warning", information: "information" },
    guideline: "guideline",
    section: (n) => `§${n}`,
    engine: "Computed by",
    disclaimer: "Check every proposal against the patient's full record before any decision.",
    saveTitle: "Save to the EHR",
    saveConfirm: "I have reviewed this proposal and want it saved in the patient's record as a draft.",
    saveButton: "Save as draft",
    saving: "Saving…",
    saved: (n, unchanged, plan) => `Saved in the EHR: ${n} new resources, ${unchanged} already there (${plan}).`,
    saveFailed: "Saving failed:",
  },
  fr: {
    title: "BoneMetRT — radiothérapie des métastases osseuses",
    subtitle: "Aide à la décision selon le référentiel ; une proposition pour l'équipe soignante, pas une prescription.",
    launching: "Connexion au DPI…",
    noServer: "Pas de serveur FHIR : ouvrir l'application depuis le DPI (lancement EHR), ou ajouter ?iss=<URL de base FHIR>.",
    notAllowed: (origin) => `Lancement refusé : ${origin} n'est pas un DPI pour lequel ce service est configuré.`,
    forbiddenParams: (names) => `Lancement refusé : le lien porte ${names}, qui contournerait l'autorisation du DPI.`,
    notAuthorized: "Pas d'autorisation d'un DPI admis : rouvrir l'application depuis le DPI.",
    ehr: "DPI :",
    launchFailed: "Le lancement a échoué :",
    authorizing: "Fin de l'autorisation…",
    reading: "Lecture des pathologies, observations et actes du patient…",
    read: (c, o, p) => `Lu dans le DPI : ${c} pathologies, ${o} observations, ${p} actes.`,
    assessing: "Évaluation…",
    failed: "L'évaluation a échoué :",
    patient: "Patient :",
    assessmentDate: "Date d'évaluation",
    recompute: "Réévaluer",
    language: "Langue",
    situations: "Situations",
    noSituation: "Aucune situation du référentiel ne s'applique sur ces données.",
    scores: "Scores",
    noScore: "Aucun score n'a pu être calculé (voir les données manquantes ci-dessous).",
    item: "Item",
    points: "Points",
    total: "Total",
    risk: "Risque",
    qualitative: { negligible: "négligeable", low: "faible", moderate: "modéré", high: "élevé", certain: "certain" },
    bands: {
      "mirels-radiotherapy": "≤ 7 : surveillance et radiothérapie seule", "mirels-tumour-board": "8 : décision en RCP", "mirels-fixation": "≥ 9 : ostéosynthèse prophylactique d'abord",
      "rades-group-1": "groupe I", "rades-group-2": "groupe II", "rades-group-3": "groupe III",
    },
    recommendations: "Recommandations",
    preferred: "préféré",
    alternative: "alternative",
    urgent: "urgent",
    onHold: "suspendu",
    dose: (gy, n) => `${String(gy).replace(".", ",")} Gy en ${n} fraction${n === 1 ? "" : "s"}`,
    targetVolume: "Volume cible",
    noTargetVolume: "Pas de cible de radiothérapie sur ces données.",
    postopWindow: "Fenêtre post-opératoire",
    noPostop: "Pas de situation post-opératoire.",
    window: (s, e) => `débuter entre le ${s} et le ${e}`,
    notes: "Données manquantes et mises en garde",
    noNotes: "Rien à signaler.",
    severity: { fatal: "fatale", error: "erreur", warning: "avertissement", information: "information" },
    guideline: "référentiel",
    section: (n) => `§${n}`,
    engine: "Calculé par",
    disclaimer: "Vérifier chaque proposition au regard du dossier complet avant toute décision.",
    saveTitle: "Enregistrer dans le DPI",
    saveConfirm: "J'ai relu cette proposition et veux l'enregistrer comme brouillon dans le dossier du patient.",
    saveButton: "Enregistrer comme brouillon",
    saving: "Enregistrement…",
    saved: (n, unchanged, plan) => `Enregistré dans le DPI : ${n} nouvelles ressources, ${unchanged} déjà présentes (${plan}).`,
    saveFailed: "L'enregistrement a échoué :",
  },
};

/** A text of the interface; functions are called with the extra arguments. */
export function t(lang, key, ...args) {
  const value = (strings[lang] ?? strings.en)[key];
  return typeof value === "function" ? value(...args) : value;
}

/** The chosen language: the toggle's last choice in this tab, else the browser's language (fr or en). */
export function initialLanguage() {
  const saved = window.sessionStorage.getItem("bonemetrt.lang");
  if (saved === "en" || saved === "fr") {
    return saved;
  }
  return (navigator.language || "en").toLowerCase().startsWith("fr") ? "fr" : "en";
}

/** Remembers the language chosen with the toggle. */
export function saveLanguage(lang) {
  window.sessionStorage.setItem("bonemetrt.lang", lang);
}
