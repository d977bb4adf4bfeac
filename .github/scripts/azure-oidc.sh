#!/usr/bin/env bash
# Signs the job in to Entra with GitHub's OIDC token (workload identity federation): no client secret anywhere.
# Needs `permissions: id-token: write` and, from the job's environment, AZURE_CLIENT_ID and AZURE_TENANT_ID (the
# identity whose federated credential trusts this repository and environment).
# - The project's dynamic providers read AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE
#   (DefaultAzureCredential's workload identity).
# - @pulumi/azuread and @pulumi/azure-native read ARM_USE_OIDC, ARM_CLIENT_ID, ARM_TENANT_ID and request their own
#   GitHub token through ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN.
set -euo pipefail
: "${AZURE_CLIENT_ID:?set the environment variable AZURE_CLIENT_ID of this environment}"
: "${AZURE_TENANT_ID:?set the environment variable AZURE_TENANT_ID of this environment}"
: "${ACTIONS_ID_TOKEN_REQUEST_URL:?the job needs permissions: id-token: write}"
token_file="${RUNNER_TEMP:?}/azure-federated-token"
curl -fsS -H "Authorization: bearer ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}" \
  "${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=api://AzureADTokenExchange" | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).value))' > "$token_file"
chmod 600 "$token_file"
{
  echo "AZURE_FEDERATED_TOKEN_FILE=${token_file}"
  echo "ARM_USE_OIDC=true"
  echo "ARM_CLIENT_ID=${AZURE_CLIENT_ID}"
  echo "ARM_TENANT_ID=${AZURE_TENANT_ID}"
} >> "$GITHUB_ENV"
