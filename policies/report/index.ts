/** Reports over safe-default findings: text for `pim check`, SARIF for pull-request annotations. */
export { formatFindingsText } from "./text";
export { toSarif, SARIF_LEVEL, type SarifOptions } from "./sarif";
