/** The declaration model: schemas, loader, catalog and time helpers. Everything else imports from here. */
export * from "./types";
export * from "./duration";
export { loadStack, loadStackFiles, listStacks, StackNotFoundError } from "./load/loadStack";
export type { LoadOptions, LoadResult, SourceFile } from "./load/loadStack";
export { formatDiagnostic, type Diagnostic } from "./load/diagnostics";
export { escapeControlChars, escapeControlCharsInJson } from "./untrustedText";
export {
  findDirectoryRole,
  findAzureRole,
  entraRoleById,
  entraCatalog,
  GLOBAL_ADMINISTRATOR,
  PRIVILEGED_ROLE_ADMINISTRATOR,
} from "./catalog";
export { graphDefaults } from "./settings/defaults";
