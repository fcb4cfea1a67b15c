#!/usr/bin/env python3
# CTest baseline_isa: no AVX, AVX2, AVX-512 or BMI instruction outside the per-CPU clones in bertlab's binaries.
"""Usage: check_baseline_isa.py --leaky CANARY BINARY...

The binaries target plain x86-64 (SSE2); only functions that GCC's target_clones compiled for
x86-64-v3 or v4 (symbol suffix .arch_x86_64_v3 / .arch_x86_64_v4, engine/dispatch.h) may use
newer instructions, because the loader picks them only on CPUs that have them. This reads the
disassembly (objdump) and lists every other function that uses a VEX or EVEX instruction
(mnemonics starting with v, AVX-512 mask moves) or a BMI1/BMI2/LZCNT/MOVBE instruction.

It complements baseline_cpu (the same binaries run under qemu's Nehalem): this check needs no
emulator and covers every function, not only the ones a run reaches. CANARY is a small program
built with -mavx2 on purpose; the check must find it leaky, or the check itself is broken.
"""
import re
import shutil
import subprocess
import sys

FUNCTION = re.compile(r"^[0-9a-f]+ <(.+)>:$")
NEWER = re.compile(r"^(v[a-z0-9]+|kmov[bwdq]|k(and|or|xor|not|shift)[a-z]*|shlx|shrx|sarx|rorx|andn|bzhi|pdep|pext|bextr|blsi|blsr|blsmsk|lzcnt|movbe)$")
CLONE = re.compile(r"\.arch_x86_64_v[34](\.|$)")
# Mnemonics that start with v but exist on every x86-64 CPU.
BASELINE_V = {"verr", "verw"}


def leaks(binary):
    """Returns {function: first offending instruction} for functions outside the clones."""
    objdump = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary],
                             capture_output=True, text=True, check=True).stdout
    found = {}
    function = None
    for line in objdump.splitlines():
        match = FUNCTION.match(line)
        if match:
            function = match.group(1)
            continue
        parts = line.split("\t")
        if function is None or len(parts) < 2 or CLONE.search(function) or function in found:
            continue
        mnemonic = parts[1].split()[0] if parts[1].split() else ""
        if NEWER.match(mnemonic) and mnemonic not in BASELINE_V:
            found[function] = parts[1].strip()
    return found


def main():
    args = sys.argv[1:]
    if len(args) < 3 or args[0] != "--leaky":
        raise SystemExit(__doc__)
    if not shutil.which("objdump"):
        raise SystemExit("FAIL: objdump not found; install binutils (scripts/setup.sh)")
    canary, binaries = args[1], args[2:]
    if not leaks(canary):
        print(f"FAIL: the check found no AVX2 in {canary}, which is built with -mavx2: the check is broken")
        return 1
    failed = False
    for binary in binaries:
        found = leaks(binary)
        if found:
            failed = True
            print(f"FAIL: {binary}: {len(found)} functions outside the per-CPU clones use newer instructions:")
            for function, instruction in list(found.items())[:20]:
                print(f"  {function}: {instruction}")
        else:
            print(f"OK: {binary} uses only baseline x86-64 instructions outside its per-CPU clones")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
