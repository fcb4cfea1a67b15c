#!/usr/bin/env bash
# Writes the two built-in fine-tuning tasks from the Brown corpus: sentence genre classification
# (JSON lines, text + label) and coarse part-of-speech tagging (CoNLL: word<TAB>tag, a blank line
# between sentences). Train and dev are split by document, so no document is in both halves; the
# tagging task's dev documents are the demo model's held-out ones (scripts/make_demo_corpus.sh),
# which its pretraining never saw.
#
#   scripts/make_brown_tasks.sh OUTDIR
#
# Writes OUTDIR/genre-train.jsonl, genre-dev.jsonl, pos-train.conll, pos-dev.conll and prints the
# counts. See docs/finetuning.md.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
out=$1
mkdir -p "$out"
. "$(dirname "$0")/lib/brown_corpus.sh"
fetch_brown_corpus

BROWN_DIR="$BROWN_DIR" OUT="$out" node - <<'JS'
const fs = require('fs');
const path = require('path');
const dir = process.env.BROWN_DIR;
const out = process.env.OUT;
const files = fs.readdirSync(dir).filter(f => /^c[a-r]\d\d$/.test(f)).sort();
if (files.length !== 500) {
  console.error(`error: expected the 500 Brown documents, found ${files.length}`);
  process.exit(1);
}

// Four clearly different Brown categories (the letter after "c" in a document's name).
const genres = { a: 'press', d: 'religion', j: 'learned', k: 'fiction' };

// Brown's 80-odd tags (with -tl title, -hl headline, -nc cited and fw- foreign marks, $ for
// possessives, * for negation and + for contractions) folded into twelve coarse tags.
const coarse = {
  NOUN: 'nn nns np nps nr nrs',
  VERB: 'vb vbd vbg vbn vbz be bed bedz beg bem ben ber bez do dod doz hv hvd hvg hvn hvz md',
  ADJ: 'jj jjr jjs jjt',
  ADV: 'rb rbr rbt rn ql qlp wrb wql *',
  PRON: 'pn pp ppl ppls ppo pps ppss wp wpo wps ex',
  DET: 'at ap abn abx abl dt dti dts dtx wdt',
  ADP: 'in',
  NUM: 'cd od',
  CONJ: 'cc cs',
  PRT: 'rp to',
  PUNCT: '. , : ; ( ) -- \' \'\' `` `',
  X: 'uh nil',
};
const tagOf = new Map();
for (const [tag, list] of Object.entries(coarse)) for (const t of list.split(' ')) tagOf.set(t, tag);
function coarseTag(brown) {
  let t = brown.toLowerCase();
  if (t.startsWith('fw-')) return 'X';
  t = t.split('+')[0];
  for (let changed = true; changed;) {
    changed = false;
    for (const suffix of ['-tl', '-hl', '-nc']) if (t.endsWith(suffix)) { t = t.slice(0, -suffix.length); changed = true; }
    if (t.length > 1 && (t.endsWith('$') || t.endsWith('*'))) { t = t.slice(0, -1); changed = true; }
  }
  const tag = tagOf.get(t);
  if (!tag) { console.error(`error: no coarse tag for Brown tag "${brown}"`); process.exit(1); }
  return tag;
}

// [word, tag] pairs of one tab-indented line; Brown's `` and '' become plain quotes.
function tokensOf(line) {
  return line.trim().split(/\s+/).map(token => {
    const slash = token.lastIndexOf('/');
    let word = slash > 0 ? token.slice(0, slash) : token;
    const tag = slash > 0 ? token.slice(slash + 1) : 'nil';
    if (word === '``' || word === "''") word = '"';
    else if (word === '`') word = "'";
    return [word, coarseTag(tag)];
  }).filter(([word]) => word !== '');
}
// As the demo corpus writes sentences: no space before closing punctuation or after opening.
function textOf(tokens) {
  let text = '', glue = true, quotes = 0;
  for (const [w] of tokens) {
    const quote = w === '"';
    const opening = w === '(' || w === '[' || (quote && quotes % 2 === 0);
    const closing = (quote && quotes % 2 === 1) || /^[,.;:!?)\]]+$/.test(w);
    if (quote) ++quotes;
    if (text && !glue && !closing) text += ' ';
    text += w;
    glue = opening;
  }
  return text;
}
const sentencesOf = f => fs.readFileSync(path.join(dir, f), 'utf8').split('\n')
  .filter(l => l.trim() !== '').map(tokensOf).filter(t => t.length > 0);
const words = tokens => tokens.filter(([w]) => /[A-Za-z0-9]/.test(w)).length;
// Every k-th of a list, so a cap keeps material from every document rather than the first ones.
function spread(list, cap) {
  if (list.length <= cap) return list;
  const picked = [];
  for (let i = 0; i < cap; ++i) picked.push(list[Math.floor(i * list.length / cap)]);
  return picked;
}

// Genre: within each category every 4th document is dev; sentences of 5 to 60 words; at most
// 1,500 training and 300 dev sentences per genre, so the majority baseline stays near 25%.
const genre = { train: [], dev: [] };
for (const [letter, label] of Object.entries(genres)) {
  const docs = files.filter(f => f[1] === letter);
  const part = { train: [], dev: [] };
  docs.forEach((f, i) => {
    for (const s of sentencesOf(f)) {
      const n = words(s);
      if (n >= 5 && n <= 60) part[i % 4 === 3 ? 'dev' : 'train'].push({ text: textOf(s), label });
    }
  });
  genre.train.push(...spread(part.train, 1500));
  genre.dev.push(...spread(part.dev, 300));
}
// Interleaved by a fixed permutation so a file read in order is not sorted by label.
function shuffled(list, seed) {
  const a = list.slice();
  let x = seed >>> 0;
  for (let i = a.length - 1; i > 0; --i) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const j = x % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
for (const which of ['train', 'dev'])
  fs.writeFileSync(path.join(out, `genre-${which}.jsonl`),
                   shuffled(genre[which], which === 'train' ? 1 : 2).map(r => JSON.stringify(r)).join('\n') + '\n');

// Part of speech: dev = the demo corpus's held-out documents (every 20th of the 500); sentences
// of at most 50 tokens; at most 6,000 training and 1,000 dev sentences.
const pos = { train: [], dev: [] };
files.forEach((f, index) => {
  const held = index % 20 === 0;
  for (const s of sentencesOf(f)) if (s.length <= 50) pos[held ? 'dev' : 'train'].push(s);
});
const cap = { train: 6000, dev: 1000 };
for (const which of ['train', 'dev']) {
  const picked = spread(pos[which], cap[which]);
  fs.writeFileSync(path.join(out, `pos-${which}.conll`),
                   picked.map(s => s.map(([w, t]) => `${w}\t${t}`).join('\n')).join('\n\n') + '\n');
  const tags = new Map();
  for (const s of picked) for (const [, t] of s) tags.set(t, (tags.get(t) || 0) + 1);
  const total = [...tags.values()].reduce((a, b) => a + b, 0);
  const top = [...tags.entries()].sort((a, b) => b[1] - a[1])[0];
  console.log(`pos-${which}: ${picked.length} sentences, ${total} words; most frequent tag ${top[0]} ` +
              `(${(100 * top[1] / total).toFixed(1)}%)`);
}
for (const which of ['train', 'dev']) {
  const counts = {};
  for (const r of genre[which]) counts[r.label] = (counts[r.label] || 0) + 1;
  console.log(`genre-${which}: ${genre[which].length} sentences (` +
              Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ') + ')');
}
JS
