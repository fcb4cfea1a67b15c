#!/bin/sh
# Refreshes translations/bertlab_*.ts from the tr() strings in ui/ and app/gui/ (run by hand, then translate).
set -eu
cd "$(dirname "$0")/.."
LUPDATE=${LUPDATE:-/usr/lib/qt6/bin/lupdate}
[ -x "$LUPDATE" ] || { echo "update_translations.sh: $LUPDATE not found (apt install qt6-l10n-tools)" >&2; exit 1; }
for ts in translations/bertlab_*.ts; do
    # -no-obsolete: a string the code no longer has is dropped, not kept as a vanished entry.
    "$LUPDATE" -silent -locations relative -no-obsolete ui app/gui -ts "$ts"
done
# New or changed strings come out type="unfinished"; test_translations fails until they are translated.
grep -c 'type="unfinished"' translations/bertlab_*.ts || true
