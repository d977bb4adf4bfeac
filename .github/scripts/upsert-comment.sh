#!/usr/bin/env bash
# upsert-comment.sh <pull request number> <marker> <markdown file>
# Posts the file as a pull-request comment, or edits the earlier comment that carries the same hidden marker
# (`<!-- <marker> -->`, which pim plan and pim review end their markdown with), so a re-run never adds a second one.
# Needs GH_TOKEN with pull-requests: write (a pull request from a fork gets a read-only token: the step then fails
# and the job goes on, see the workflow).
set -euo pipefail
pr="$1" marker="$2" file="$3"
repo="${GITHUB_REPOSITORY:?}"
grep -qF -- "<!-- ${marker} -->" "$file" || { echo "upsert-comment: $file lacks the marker <!-- ${marker} -->" >&2; exit 1; }
id="$(gh api --paginate "repos/${repo}/issues/${pr}/comments" \
  --jq ".[] | select(.user.type == \"Bot\" and (.body | contains(\"<!-- ${marker} -->\"))) | .id" | head -n 1)"
if [ -n "$id" ]; then
  gh api --method PATCH "repos/${repo}/issues/comments/${id}" -F "body=@${file}" > /dev/null
else
  gh api --method POST "repos/${repo}/issues/${pr}/comments" -F "body=@${file}" > /dev/null
fi
