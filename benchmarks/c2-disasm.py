#!/usr/bin/env python3
"""Disassemble C2's "abstract disassembly" (PrintAssembly without hsdis) with objdump.

Usage:
    java -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=quiet \
         -XX:CompileCommand='print,io.xen4j.rings.BackRing::pollRequests' ... > out.txt
    benchmarks/c2-disasm.py out.txt 'BackRing::pollRequests (' [n]

Takes the n-th (default: last) "Compiled method" block whose header contains the key, joins the
hex words of its [MachCode] section into raw bytes, runs
`objdump -D -b binary -m i386:x86-64 -M intel --adjust-vma=<start>` and prints each instruction
with its offset, preceded by HotSpot's comments for that address (the bci lines "; - Class::m@bci").
"""
import os
import re
import subprocess
import sys
import tempfile


def main():
    src, key = sys.argv[1], sys.argv[2]
    nth = int(sys.argv[3]) if len(sys.argv) > 3 else -1
    lines = open(src, errors='replace').read().split('\n')
    starts = [i for i, l in enumerate(lines) if l.startswith('Compiled method') and key in l]
    if not starts:
        sys.exit('no compiled method matches ' + key)
    s = starts[nth]
    e = s + 1
    while e < len(lines) and not lines[e].startswith('Compiled method') \
            and not lines[e].startswith('-----------------------------------'):
        e += 1
    code = bytearray()
    base = None
    comments = {}
    cur = None
    addr_re = re.compile(r'^\s+0x([0-9a-f]+): (.*)$')
    in_code = False
    for l in lines[s:e]:
        if l.startswith('[MachCode]'):
            in_code = True
            continue
        if l.startswith('[/MachCode]'):
            break
        if not in_code:
            continue
        m = addr_re.match(l)
        if m:
            a = int(m.group(1), 16)
            rest = m.group(2).strip()
            if rest.startswith(';'):
                cur = a
                comments.setdefault(a, []).append(rest)
                continue
            words = rest.replace('|', ' ').split()
            if base is None:
                base = a
            if all(re.fullmatch(r'[0-9a-f]+', w) for w in words):
                assert base + len(code) == a, (hex(a), hex(base + len(code)))
                code += bytes.fromhex(''.join(words))
            continue
        st = l.strip()
        if st.startswith(';') and cur is not None:
            comments[cur].append(st)
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(code)
    out = subprocess.run(['objdump', '-D', '-b', 'binary', '-m', 'i386:x86-64', '-M', 'intel',
                          '--adjust-vma=' + hex(base), f.name], capture_output=True, text=True).stdout
    os.unlink(f.name)
    print(lines[s])
    print('bytes', len(code))
    for ol in out.split('\n'):
        m = re.match(r'^\s+([0-9a-f]+):\t', ol)
        if not m:
            continue
        a = int(m.group(1), 16)
        for c in comments.pop(a, []):
            if 'ImmutableOopMap' not in c:
                print('        ' + c)
        parts = ol.split('\t')
        if len(parts) >= 3:
            print('%04x: %s' % (a - base, parts[2]))


if __name__ == '__main__':
    main()
