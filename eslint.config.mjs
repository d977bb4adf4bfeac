// Lint: typescript-eslint's recommended rules, plus the few that protect this project's invariants.
import tseslint from "typescript-eslint";

/**
 * The architecture's import direction (docs/architecture.md, "Layout"), written down so a wrong import fails
 * `npm run lint` instead of waiting for review:
 *
 *   model ← policies/rules ← policies (pack)      model ← components ← stacks
 *   providers/graph ← providers, scripts           the emulator imports nothing of the product
 *
 * A layer lists the places it must not import, and optionally places inside them it may (`providers/graph` inside
 * `providers`). Each is a path from the repository root; an import matches when it climbs out of the file's folder
 * (`../`, `../../`…) and enters that path, so a folder's own sub-folders (the emulator's `./routes/policies`)
 * never match.
 *
 * `engineDouble/` stands in for the Pulumi engine: it starts the program, the provider host and the pack as
 * processes, the way the engine does, so no product code imports it (only tests and the CLI's scripts), and it
 * imports nothing of the product but the emulator it points the program at.
 */
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const alternatives = (places) => `(${places.map(escape).join("|")})(/|$)`;
const entering = (places, allowed) =>
  `^(\\.\\./)+${allowed.length ? `(?!${alternatives(allowed)})` : ""}${alternatives(places)}`;
/** `typesOnly`: places a layer may import types from (a contract, such as the shape of a read's answer), no code. */
const layer = (files, forbidden, message, { allowed = [], typesOnly = [] } = {}) => ({
  files,
  rules: {
    "@typescript-eslint/no-restricted-imports": [
      "error",
      {
        patterns: [
          { regex: entering(forbidden, allowed), message },
          ...(typesOnly.length ? [{ regex: entering(typesOnly, []), message, allowTypeImports: true }] : []),
        ],
      },
    ],
  },
});

const PRODUCT = ["model", "components", "providers", "policies", "scripts", "stacks"];
/** The providers' contract with the pack: type tokens and input types, no behaviour. */
const PROVIDER_INTERNALS = [
  "providers/graph",
  "providers/directoryRoleSettings",
  "providers/directoryRoleSchedule",
  "providers/projectModule",
  "providers/index",
];

export default tseslint.config(
  { ignores: ["node_modules/**", "build/**", "policies/node_modules/**", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Dynamic providers must require() inside their methods so closure serialization captures no module.
      "@typescript-eslint/no-require-imports": "off",
      // `any` only at a boundary that needs it, each with a per-line disable that says why.
      "@typescript-eslint/no-explicit-any": "error",
      "no-console": "off",
    },
  },
  layer(
    ["model/**/*.ts"],
    ["components", "providers", "policies", "scripts", "stacks", "emulator", "engineDouble"],
    "model is the bottom layer: it imports nothing of the rest of the product.",
  ),
  // The pack reads our dynamic providers' resources: it may import their contract (providers/types), no more.
  layer(
    ["policies/**/*.ts"],
    ["components", "scripts", "stacks", "emulator", "engineDouble", ...PROVIDER_INTERNALS],
    "the pack depends on model, the rules and providers/types only.",
  ),
  layer(
    ["policies/rules/**/*.ts"],
    [
      "components",
      "providers",
      "scripts",
      "stacks",
      "emulator",
      "engineDouble",
      "adapters",
      "report",
      "index",
      "policies",
    ],
    "rules are pure functions over the model: they import model and each other, nothing of the pack or beyond.",
  ),
  layer(
    ["components/**/*.ts"],
    ["scripts", "policies", "stacks", "emulator", "engineDouble"],
    "components map the model to resources: no CLI, no rules, no Graph calls (providers make those).",
    // The program hands components what its reads answered; they may name those answers' types, never call.
    { typesOnly: ["providers/graph"] },
  ),
  layer(
    ["providers/**/*.ts"],
    ["components", "policies", "scripts", "stacks", "emulator", "engineDouble"],
    "providers talk to Graph and ARM for the components; they import model and providers/graph only.",
  ),
  layer(
    ["providers/graph/**/*.ts"],
    [
      "components",
      "policies",
      "scripts",
      "stacks",
      "emulator",
      "engineDouble",
      "directoryRoleSettings",
      "directoryRoleSchedule",
      "projectModule",
    ],
    "providers/graph is the Graph access layer under the providers: it imports nothing of them.",
  ),
  // The program reads the tenant (principals, break-glass accounts) through the Graph layer before it registers
  // anything; every write is a provider's, reached through a component.
  layer(
    ["stacks/**/*.ts"],
    [
      "providers",
      "scripts",
      "emulator",
      "engineDouble",
      "policies/adapters",
      "policies/report",
      "policies/index",
    ],
    "the program composes components from the model, reads through providers/graph and enforces the rules; providers are reached through components.",
    { allowed: ["providers/graph"] },
  ),
  layer(
    ["scripts/**/*.ts"],
    ["components", "stacks"],
    "the CLI works offline over the model, the rules and the Graph layer; it never builds resources.",
  ),
  layer(
    ["emulator/**/*.ts"],
    [...PRODUCT, "engineDouble"],
    "the emulator stands in for Microsoft's tenant: it imports nothing of the product it tests.",
  ),
  layer(
    ["engineDouble/**/*.ts"],
    PRODUCT,
    "engineDouble stands in for the Pulumi engine: it runs the product as processes and imports none of it.",
  ),
  {
    // Tests and benchmarks read Graph bodies, SARIF logs and engine requests as the untyped JSON they are, and
    // poke at internals; `any` there is a test boundary, not product code.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
