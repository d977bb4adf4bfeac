/** Placeholder until issue 5 lands: SARIF 2.1.0 output. */
import type { Diagnostic } from "../../model/load/diagnostics";
import type { Finding } from "../rules";

export function toSarif(findings: Finding[], diagnostics: Diagnostic[] = []): object {
  return {
    version: "2.1.0",
    runs: [{ tool: { driver: { name: "pim" } }, results: [...findings, ...diagnostics].map(() => ({})) }],
  };
}
