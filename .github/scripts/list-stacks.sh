#!/usr/bin/env bash
# Prints the stacks (folders under stacks/ with a tenant.yaml) as a JSON array, for a workflow matrix.
# Uses the model's own listStacks, so the workflows and pim agree on what a stack is.
set -euo pipefail
cd "$(dirname "$0")/../.."
node -e 'require("tsx/cjs"); process.stdout.write(JSON.stringify(require("./model").listStacks(".")))'
