#!/usr/bin/env python3
"""A health system's imaging order stream, made from `synth orders` for screen-protocols.sh (issue 17).

`synth orders` is all back imaging for back pain (about 35% sacrum and 28% lumbar target exams): dense in targets on
purpose, to load the sacrum protocol's text reading. A radiology department's orders are mostly exams no protocol
targets. This rewrites each row of a `synth orders` file, with a fixed seed, into an ASSUMED mix (for benchmarks only,
not a claim about any site): 2% kept as they are (back imaging for back pain), 4% lumbar spine imaging (the row's back
pain indication kept), 7% head CT or MRI (half for headache, half for other reasons) and 87% other exams with their
own indications. Order ids, patients, dates, providers and the other columns are the row's own.

    python3 benchmarks/orders-imaging-mix.py IN.csv OUT.csv
"""
import csv
import random
import sys

OTHER = [
    ("71046", "XR CHEST 2 VIEWS", "cough"),
    ("74177", "CT ABDOMEN PELVIS W CONTRAST", "abdominal pain"),
    ("76700", "US ABDOMEN COMPLETE", "elevated liver enzymes"),
    ("77067", "MAMMO SCREENING BILATERAL", "screening"),
    ("73562", "XR KNEE 3 VIEWS", "knee pain after twisting injury"),
    ("71250", "CT CHEST WO CONTRAST", "lung nodule follow-up"),
    ("73130", "XR HAND 3 VIEWS", "hand pain"),
    ("73721", "MRI KNEE WO CONTRAST", "medial knee pain, locking"),
    ("76856", "US PELVIS COMPLETE", "pelvic pain"),
    ("73610", "XR ANKLE 3 VIEWS", "ankle sprain"),
    ("71275", "CTA CHEST PE PROTOCOL", "shortness of breath, r/o PE"),
    ("77080", "DXA BONE DENSITY", "osteoporosis screening"),
    ("73030", "XR SHOULDER 2 VIEWS", "shoulder pain"),
    ("72125", "CT CERVICAL SPINE WO CONTRAST", "neck pain after MVC"),
    ("93880", "US CAROTID DUPLEX", "carotid bruit"),
]
HEAD_EXAMS = [("70450", "CT HEAD WO CONTRAST"), ("70551", "MRI BRAIN WO CONTRAST"), ("70553", "MRI BRAIN WO+W CONTRAST")]
HEADACHE = [
    "headache", "chronic headache, unchanged", "migraine, worse this month", "headache x 2 weeks",
    "new headache, age over 50", "worst headache of life, sudden onset", "headache with fever and neck stiffness",
    "daily headaches, tension type", "headache after minor head bump, no LOC", "headache, on warfarin",
]
OTHER_HEAD = ["dizziness", "syncope", "memory loss", "stroke symptoms, left arm weakness", "seizure", "fall, head strike"]
LUMBAR = [("72100", "XR LUMBOSACRAL SPINE 2-3 VIEWS"), ("72148", "MRI LUMBAR SPINE WO CONTRAST"), ("72131", "CT LUMBAR SPINE WO CONTRAST")]


def main(source, target):
    random.seed(7)
    counts = {}
    with open(source, newline="") as into, open(target, "w", newline="") as out:
        rows = csv.reader(into)
        writer = csv.writer(out, lineterminator="\n")
        header = next(rows)
        writer.writerow(header)
        code, name, indication, reason_codes = (header.index(c) for c in ("procedure_code", "procedure_name", "indication", "reason_codes"))
        for row in rows:
            x = random.random()
            if x < 0.02:
                kind = "back"
            elif x < 0.06:
                kind = "lumbar"
                row[code], row[name] = random.choice(LUMBAR)
            elif x < 0.13:
                kind = "head"
                row[code], row[name] = random.choice(HEAD_EXAMS)
                row[indication] = random.choice(HEADACHE if random.random() < 0.5 else OTHER_HEAD)
                row[reason_codes] = ""
            else:
                kind = "other"
                row[code], row[name], row[indication] = random.choice(OTHER)
                row[reason_codes] = ""
            counts[kind] = counts.get(kind, 0) + 1
            writer.writerow(row)
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
