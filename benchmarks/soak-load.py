#!/usr/bin/env python3
"""The mixed load of soak.sh on two `serve` instances, then its figures.

Workers (threads, one keep-alive connection each, paced on a fixed schedule so a slow answer does not lower the
rate it was asked for; a worker that falls behind sends at once):
  hook      POST /cds-services/sacrum-mri-lbp-select, the full request cds-load.sh sends, a new hookInstance each;
  feedback  POST .../feedback "overridden" for a share of the cards the hooks got, sent to the OTHER instance at least
            FEEDBACK_DELAY seconds after the card (as behind a load balancer; the card is in the shared database);
  worklist  GET /?filter=F&p=N as a reviewer signed in on instance A (the cookie works on B through the shared keys).
Every request is written to requests.csv; each instance's RSS (/proc/PID/status VmRSS) is sampled every 5 s into
rss.csv. At the end it reads restart.txt (epoch seconds of `stop`, `stopped`, `up` written by soak.sh) and prints the
figures; exit code 1 when a target fails: no error outside the outage, RSS growth after warm-up < 10 %, p99 < 50 ms.
"""
import argparse, collections, csv, http.client, json, os, queue, random, statistics, sys, threading, time, uuid

parser = argparse.ArgumentParser()
parser.add_argument("--base", action="append", required=True, help="http://127.0.0.1:PORT of an instance (give two)")
parser.add_argument("--pid", action="append", type=int, required=True, help="its process id, for RSS")
parser.add_argument("--cookie", required=True, help="the Cookie header of the signed-in reviewer")
parser.add_argument("--request", required=True, help="prefix of REQUEST.head / REQUEST.tail: the hook body around its hookInstance")
parser.add_argument("--feedback", required=True, help="the feedback body with CARD-UUID where the card goes")
parser.add_argument("--seconds", type=float, required=True)
parser.add_argument("--warm-up", type=float, default=60)
parser.add_argument("--out", required=True)
parser.add_argument("--hook-rate", type=float, default=20, help="hook calls a second per instance")
parser.add_argument("--worklist-rate", type=float, default=2, help="worklist pages a second per instance")
parser.add_argument("--feedback-share", type=float, default=0.25, help="share of cards that get feedback")
parser.add_argument("--feedback-delay", type=float, default=2.0)
parser.add_argument("--worklist-pages", type=int, default=20)
args = parser.parse_args()
assert len(args.base) == len(args.pid) == 2, "two instances"

head = open(args.request + ".head", "rb").read()
tail = open(args.request + ".tail", "rb").read()
feedback_body = open(args.feedback, "rb").read()
start = time.time()
stop_at = start + args.seconds
records = []          # (epoch, kind, instance, status, ms, outcome, epoch of the card a feedback is for)
records_lock = threading.Lock()
pending_feedback = [queue.Queue(), queue.Queue()]   # per target instance: (due epoch, card uuid, epoch of the card)


def record(t, kind, instance, status, ms, outcome, card_t=None):
    with records_lock:
        records.append((t, kind, instance, status, ms, outcome, card_t))


class Client:
    """One keep-alive connection; a broken one is reopened for the next request (and that request counts as an error)."""
    def __init__(self, base):
        self.host, self.port = base.removeprefix("http://").split(":")
        self.conn = None

    def send(self, method, path, body=None, headers=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, int(self.port), timeout=30)
        try:
            self.conn.request(method, path, body=body, headers=headers or {})
            response = self.conn.getresponse()
            return response.status, response.read()
        except Exception:
            self.conn.close()
            self.conn = None
            raise


def paced(rate, work):
    """Calls work() rate times a second on a fixed schedule until stop_at."""
    interval, due = 1.0 / rate, time.time() + random.random() / rate
    while due < stop_at:
        wait = due - time.time()
        if wait > 0:
            time.sleep(wait)
        work()
        due += interval


def hook_worker(i):
    client, other = Client(args.base[i]), 1 - i
    def work():
        body = head + str(uuid.uuid4()).encode() + tail
        t = time.time(); t0 = time.perf_counter()
        try:
            status, answer = client.send("POST", "/cds-services/sacrum-mri-lbp-select", body, {"Content-Type": "application/json"})
            ms = (time.perf_counter() - t0) * 1000
            cards = json.loads(answer).get("cards", []) if status == 200 else []
            outcome = "card" if cards else ("empty" if status == 200 else "http")
            record(t, "hook", i, status, ms, outcome)
            if cards and random.random() < args.feedback_share:
                pending_feedback[other].put((time.time() + args.feedback_delay, cards[0]["uuid"], t))
        except Exception as e:
            record(t, "hook", i, 0, (time.perf_counter() - t0) * 1000, type(e).__name__)
    paced(args.hook_rate, work)


def outcome_code(answer):
    """The code of a refusal's FHIR OperationOutcome ("not-found", ...), or the start of whatever else came back."""
    try:
        return "OperationOutcome " + json.loads(answer)["issue"][0]["code"]
    except Exception:
        return answer[:60].decode(errors="replace").replace(",", ";").replace("\n", " ") or "(empty body)"


def feedback_worker(i):
    client = Client(args.base[i])
    while time.time() < stop_at:
        try:
            due, card, card_t = pending_feedback[i].get(timeout=0.5)
        except queue.Empty:
            continue
        if due > time.time():
            time.sleep(due - time.time())
        if time.time() >= stop_at:
            break
        body = feedback_body.replace(b"CARD-UUID", card.encode())
        t = time.time(); t0 = time.perf_counter()
        try:
            status, answer = client.send("POST", "/cds-services/sacrum-mri-lbp-select/feedback", body, {"Content-Type": "application/json"})
            record(t, "feedback", i, status, (time.perf_counter() - t0) * 1000, "ok" if status == 200 else outcome_code(answer), card_t)
        except Exception as e:
            record(t, "feedback", i, 0, (time.perf_counter() - t0) * 1000, type(e).__name__, card_t)


def worklist_worker(i):
    client = Client(args.base[i])
    def work():
        path = f"/?filter={random.choice(('all', 'unreviewed', 'mine'))}&p={random.randint(1, args.worklist_pages)}"
        t = time.time(); t0 = time.perf_counter()
        try:
            status, page = client.send("GET", path, headers={"Cookie": args.cookie})
            ms = (time.perf_counter() - t0) * 1000
            # A worklist page has its table caption; a redirect to /signin or an error page has not.
            record(t, "worklist", i, status, ms, "page" if status == 200 and b"<caption>" in page else "other")
        except Exception as e:
            record(t, "worklist", i, 0, (time.perf_counter() - t0) * 1000, type(e).__name__)
    paced(args.worklist_rate, work)


def rss_sampler():
    with open(os.path.join(args.out, "rss.csv"), "w") as f:
        f.write("seconds,instance,rss_kb\n")
        while time.time() < stop_at:
            for i, pid in enumerate(args.pid):
                try:
                    kb = next(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmRSS:"))
                except (OSError, StopIteration):
                    kb = 0   # the instance is gone: shows as a sample of 0
                f.write(f"{time.time() - start:.1f},{'AB'[i]},{kb}\n")
            f.flush()
            time.sleep(5)


threads = [threading.Thread(target=rss_sampler)]
for i in (0, 1):
    threads += [threading.Thread(target=hook_worker, args=(i,)), threading.Thread(target=feedback_worker, args=(i,)),
                threading.Thread(target=worklist_worker, args=(i,))]
for t in threads:
    t.start()
for t in threads:
    t.join()

records.sort(key=lambda r: r[0])
with open(os.path.join(args.out, "requests.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["seconds", "kind", "instance", "status", "ms", "outcome", "card_seconds"])
    for t, kind, i, status, ms, outcome, card_t in records:
        w.writerow([f"{t - start:.3f}", kind, "AB"[i], status, f"{ms:.2f}", outcome, "" if card_t is None else f"{card_t - start:.3f}"])

# ---- figures ----
events = {}
restart_file = os.path.join(args.out, "restart.txt")
if os.path.exists(restart_file):
    for line in open(restart_file):
        name, when = line.split()
        events[name] = float(when)
down, up = events.get("stop"), events.get("up")
failures = []


def pct(values, p):
    if not values: return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ok(r):
    return r[3] == 200 and r[5] in ("card", "ok", "page")


def window_of(t):
    if down is None or t < down: return "before"
    if up is None or t < up: return "outage"
    return "after"


def window(r):
    # Feedback for a card answered during the outage belongs to the outage, whenever it is sent: if the card's alert
    # was not recorded then, the feedback is refused later.
    if r[1] == "feedback" and r[6] is not None and window_of(r[6]) == "outage":
        return "outage"
    return window_of(r[0])


print(f"\n{len(records)} requests in {args.seconds:.0f} s against 2 instances "
      f"(hooks {args.hook_rate:g}/s and worklist pages {args.worklist_rate:g}/s per instance, feedback for {args.feedback_share:.0%} of cards)")
if down is not None:
    print(f"PostgreSQL stopped at {down - start:.1f} s, stop returned at {events.get('stopped', float('nan')) - start:.1f} s, "
          f"back at {(up - start) if up else float('nan'):.1f} s (start returned)")

# Latency and errors outside the outage. "After" starts when PostgreSQL is back; an error there that comes before
# the kind's first success is part of the recovery, not a steady-state error, so it is counted apart.
recovered_at = {}
for kind in ("hook", "feedback", "worklist"):
    for i in (0, 1):
        firsts = [r[0] for r in records if r[1] == kind and r[2] == i and window(r) == "after" and ok(r)]
        recovered_at[(kind, i)] = firsts[0] if firsts else None


def phase(r):
    w = window(r)
    if w != "after": return w
    first = recovered_at[(r[1], r[2])]
    return "recovery" if first is None or r[0] < first else "after"


print(f"\n{'kind':<9} {'inst':<4} {'requests':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}  errors before / during outage / recovering / after")
slow = []
for kind in ("hook", "feedback", "worklist"):
    for i in (0, 1):
        rows = [r for r in records if r[1] == kind and r[2] == i]
        steady = [r[4] for r in rows if phase(r) in ("before", "after") and ok(r)]
        errors = collections.Counter(phase(r) for r in rows if not ok(r))
        p99 = pct(steady, 99)
        if steady and p99 >= 50:
            slow.append(f"{kind} {'AB'[i]} {p99:.1f} ms")
        print(f"{kind:<9} {'AB'[i]:<4} {len(rows):>8} {pct(steady, 50):>8.1f} {p99:>8.1f} {max(steady, default=float('nan')):>8.1f}  "
              f"{errors['before']} / {errors['outage']} / {errors['recovery']} / {errors['after']}")
        if errors["before"] + errors["after"]:
            failures.append(f"{errors['before'] + errors['after']} {kind} errors on {'AB'[i]} outside the outage")
if slow:
    failures.append("p99 over 50 ms: " + ", ".join(slow))

# What the errors were, by kind and phase (status or exception, outcome), so a report can say what the app answered.
kinds = collections.Counter((r[1], phase(r), r[3], r[5]) for r in records if not ok(r))
if kinds:
    print("\nnot-OK answers (kind, phase, HTTP status or 0 = no answer, outcome): count")
    for (kind, ph, status, outcome), n in sorted(kinds.items()):
        print(f"  {kind:<9} {ph:<9} {status:>3} {outcome[:90]}: {n}")

if down is not None:
    outage_hooks = [r for r in records if r[1] == "hook" and window(r) == "outage"]
    empty = [r[4] for r in outage_hooks if r[3] == 200 and r[5] == "empty"]
    print(f"\nduring the outage ({(up or time.time()) - down:.1f} s): {len(outage_hooks)} hook calls, {len(empty)} answered 200 {{\"cards\":[]}} "
          f"(p50 {pct(empty, 50):.1f} ms, p99 {pct(empty, 99):.1f} ms, max {max(empty, default=float('nan')):.1f} ms), "
          f"{sum(1 for r in outage_hooks if r[5] == 'card')} with a card, {sum(1 for r in outage_hooks if r[3] != 200)} not 200")
    for i in (0, 1):
        empty_at = [r[0] for r in records if r[1] == "hook" and r[2] == i and r[3] == 200 and r[5] == "empty"]
        print(f"  hook on {'AB'[i]}: " + (f"{len(empty_at)} empty answers, from {empty_at[0] - down:+.1f} s to {empty_at[-1] - down:+.1f} s after the stop"
                                           + (f" ({empty_at[-1] - up:+.1f} s after PostgreSQL was back)" if up else "") if empty_at else "no empty answer"))
    answers = collections.Counter((r[3], r[5][:60]) for r in records if r[1] == "worklist" and window(r) == "outage")
    print("  worklist during the outage: " + (", ".join(f"{n} x {s} {o}" for (s, o), n in sorted(answers.items())) or "none sent"))
    for label, chosen in (("sent during the outage", lambda r: window_of(r[0]) == "outage"),
                          ("sent after it for cards answered during it", lambda r: window_of(r[0]) == "after" and r[6] is not None and window_of(r[6]) == "outage")):
        answers = collections.Counter((r[3], r[5][:60]) for r in records if r[1] == "feedback" and chosen(r))
        print(f"  feedback {label}: " + (", ".join(f"{n} x {s} {o}" for (s, o), n in sorted(answers.items())) or "none"))
    if up is not None:
        for kind, what in (("worklist", "worklist page"), ("hook", "card"), ("feedback", "stored feedback")):
            for i in (0, 1):
                first = recovered_at[(kind, i)]
                print(f"  first {what} on {'AB'[i]} after PostgreSQL was back: " + (f"{first - up:.1f} s" if first else "NONE before the end"))
                if first is None:
                    failures.append(f"no {what} on {'AB'[i]} after the restart")

# Resident memory: growth from the first sample after warm-up to the last, per instance.
samples = collections.defaultdict(list)
for row in csv.DictReader(open(os.path.join(args.out, "rss.csv"))):
    samples[row["instance"]].append((float(row["seconds"]), int(row["rss_kb"])))
print()
for name, series in sorted(samples.items()):
    warm = [kb for s, kb in series if s >= args.warm_up]
    if len(warm) < 2:
        print(f"RSS {name}: too few samples after the {args.warm_up:.0f} s warm-up ({len(series)} in all)")
        continue
    growth = (warm[-1] - warm[0]) / warm[0] * 100
    print(f"RSS {name}: {series[0][1] / 1024:.0f} MB at start, {warm[0] / 1024:.0f} MB after warm-up, {warm[-1] / 1024:.0f} MB at the end, "
          f"peak {max(kb for _, kb in series) / 1024:.0f} MB: growth after warm-up {growth:+.1f} % (target < 10 %)")
    if growth >= 10:
        failures.append(f"RSS of {name} grew {growth:.1f} %")

print("\ntargets: " + ("met" if not failures else "MISSED: " + "; ".join(failures)))
sys.exit(1 if failures else 0)
