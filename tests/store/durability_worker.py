"""Child process of the SIGKILL test: stores badges one by one, acknowledging each commit.

Usage: python durability_worker.py DATABASE_URL LEARNER_ID COUNT
Prints ``ack <record id> <n>`` on stdout after each ``add_credential`` returned
(i.e. after its transaction committed).
"""

from __future__ import annotations

import datetime as dt
import sys

from coach.store import NewWalletRecord, open_database


def main() -> None:
    url, learner, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = open_database(url)
    store.ensure_learner(learner)
    print("ready", flush=True)
    padding = "x" * 4000  # several pages per record, so a kill often lands mid-write
    for n in range(count):
        record = store.add_credential(
            learner,
            NewWalletRecord(
                data=f'{{"n": {n}, "pad": "{padding}"}}'.encode(),
                media_type="application/json",
                format="ob3-data-integrity",
                status="valid",
                verification={"status": "valid", "n": n},
                verified_at=dt.datetime.now(dt.UTC),
                credential_id="cred.teamwork",
            ),
        )
        store.append_turn(learner, "coach", f"stored {n}")
        print(f"ack {record.id} {n}", flush=True)


if __name__ == "__main__":
    main()
