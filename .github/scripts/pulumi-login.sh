#!/usr/bin/env bash
# Logs the Pulumi CLI in to the state backend without a stored secret.
# - PULUMI_ORGANIZATION set: Pulumi Cloud, exchanging GitHub's OIDC token for a short-lived organization token
#   (Pulumi Cloud's OIDC issuer must trust this repository: Pulumi docs, "OpenID Connect: GitHub").
# - else PULUMI_BACKEND_URL (e.g. azblob://<container>), with the Azure login of azure-oidc.sh.
set -euo pipefail
if [ -n "${PULUMI_ORGANIZATION:-}" ]; then
  : "${ACTIONS_ID_TOKEN_REQUEST_URL:?the job needs permissions: id-token: write}"
  id_token="$(curl -fsS -H "Authorization: bearer ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}" \
    "${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=urn:pulumi:org:${PULUMI_ORGANIZATION}" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).value))')"
  access="$(curl -fsS -X POST https://api.pulumi.com/api/oauth/token \
    -d audience="urn:pulumi:org:${PULUMI_ORGANIZATION}" \
    -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange \
    -d subject_token_type=urn:ietf:params:oauth:token-type:id_token \
    -d requested_token_type=urn:pulumi:token-type:access_token:organization \
    --data-urlencode subject_token="${id_token}" \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).access_token))')"
  echo "::add-mask::${access}"
  echo "PULUMI_ACCESS_TOKEN=${access}" >> "$GITHUB_ENV"
  PULUMI_ACCESS_TOKEN="${access}" npx pulumi login
else
  : "${PULUMI_BACKEND_URL:?set PULUMI_ORGANIZATION (Pulumi Cloud) or PULUMI_BACKEND_URL in the environment}"
  npx pulumi login "${PULUMI_BACKEND_URL}"
fi
