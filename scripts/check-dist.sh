#!/usr/bin/env bash
# Rebuilds dist/ from src/ and fails when the result differs from what is committed: the runner
# executes the committed dist/index.js and never builds. Used by .ci/run and the GitHub workflows.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run package >/dev/null
if ! git diff --quiet -- dist/ || [ -n "$(git status --porcelain -- dist/)" ]; then
  git status --short -- dist/
  echo 'dist/ is stale: run "npm run package" and commit dist/ with the src/ change.' >&2
  exit 1
fi
echo 'dist/ is the bundle of src/'
