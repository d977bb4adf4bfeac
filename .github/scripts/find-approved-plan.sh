#!/usr/bin/env bash
# find-approved-plan.sh <stack> <output folder>
# Downloads the update plan saved by the approved preview of the pull request merged into this commit (the
# `pim-approved-plan-<stack>` artifact of the newest successful preview run for that pull request). Fails when
# there is none: nothing is applied that no one approved.
set -euo pipefail
stack="$1" out="$2"
repo="${GITHUB_REPOSITORY:?}" sha="${GITHUB_SHA:?}"
pr="$(gh api "repos/${repo}/commits/${sha}/pulls" --jq '.[0].number // empty')"
[ -n "$pr" ] || { echo "no pull request merged this commit: nothing approved to apply" >&2; exit 1; }
head="$(gh api "repos/${repo}/pulls/${pr}" --jq '.head.sha')"
run="$(gh run list --repo "$repo" --workflow preview.yml --limit 100 --json databaseId,headSha,conclusion \
  --jq "[.[] | select(.headSha == \"${head}\" and .conclusion == \"success\")][0].databaseId // empty")"
[ -n "$run" ] || { echo "no successful approved preview for pull request #${pr} (${head})" >&2; exit 1; }
gh run download "$run" --repo "$repo" --name "pim-approved-plan-${stack}" --dir "$out"
