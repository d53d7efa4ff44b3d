"""Checks every signature of a PDF with pyHanko's API against one trust root.

Usage: pades.py FILE.pdf CA.pem LEVEL   (LEVEL: B, T, LT or LTA)

Prints one JSON line per signature and exits 1 when any check fails:
- every level: one /Sig signature, intact, valid, trusted (revocation checked, hard-fail);
  B and T fetch revocation data from the URLs in the certificates (the running sandbox);
- T and up: a signature time-stamp that is intact, valid and trusted;
- LT and up: validated with revocation fetching *disabled*, from the /DSS alone;
- LTA: a document time-stamp, intact, valid and trusted, covering the whole file.
"""

import json
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import (
    DocumentSecurityStore,
    SignatureCoverageLevel,
    validate_pdf_signature,
    validate_pdf_timestamp,
)
from pyhanko_certvalidator import ValidationContext


def main() -> int:
    path, ca_path, level = sys.argv[1], sys.argv[2], sys.argv[3]
    ca = load_cert_from_pemder(ca_path)
    failures = []
    with open(path, "rb") as f:
        reader = PdfFileReader(f)
        sigs = reader.embedded_signatures
        regular = [s for s in sigs if s.sig_object_type == "/Sig"]
        stamps = [s for s in sigs if s.sig_object_type == "/DocTimeStamp"]
        if len(regular) != 1:
            failures.append(f"{len(regular)} /Sig signatures, expected 1")
        if level in ("LT", "LTA"):
            dss = DocumentSecurityStore.read_dss(reader)
            vc = dss.as_validation_context(
                {"trust_roots": [ca], "allow_fetching": False, "revocation_mode": "hard-fail"}
            )
        else:
            vc = ValidationContext(
                trust_roots=[ca], allow_fetching=True, revocation_mode="hard-fail"
            )
        for sig in regular:
            st = validate_pdf_signature(sig, signer_validation_context=vc, ts_validation_context=vc)
            ts = st.timestamp_validity
            report = {
                "field": sig.field_name,
                "subfilter": str(sig.sig_object.get("/SubFilter")),
                "intact": st.intact,
                "valid": st.valid,
                "trusted": st.trusted,
                "coverage": st.coverage.name if st.coverage else None,
                "modification_level": st.modification_level.name if st.modification_level else None,
                "docmdp_ok": st.docmdp_ok,
                "timestamp": None if ts is None else {"intact": ts.intact, "valid": ts.valid, "trusted": ts.trusted},
                "signer": st.signing_cert.subject.human_friendly,
                "revoked": st.revoked,
            }
            print(json.dumps(report))
            if not (st.intact and st.valid and st.trusted and st.bottom_line):
                failures.append(f"{sig.field_name}: not intact/valid/trusted")
            if st.docmdp_ok is False:
                failures.append(f"{sig.field_name}: modifications after signing not allowed")
            if report["subfilter"] != "/ETSI.CAdES.detached":
                failures.append(f"{sig.field_name}: SubFilter {report['subfilter']}")
            if level != "B" and not (ts and ts.intact and ts.valid and ts.trusted):
                failures.append(f"{sig.field_name}: no valid signature time-stamp")
        if level == "LTA":
            if len(stamps) != 1:
                failures.append(f"{len(stamps)} document time-stamps, expected 1")
            for sig in stamps:
                st = validate_pdf_timestamp(sig, validation_context=vc)
                print(json.dumps({
                    "field": sig.field_name,
                    "doc_timestamp": True,
                    "intact": st.intact,
                    "valid": st.valid,
                    "trusted": st.trusted,
                    "coverage": st.coverage.name if st.coverage else None,
                }))
                if not (st.intact and st.valid and st.trusted):
                    failures.append(f"{sig.field_name}: document time-stamp not intact/valid/trusted")
                if st.coverage != SignatureCoverageLevel.ENTIRE_FILE:
                    failures.append(f"{sig.field_name}: document time-stamp does not cover the file")
        elif stamps:
            failures.append(f"unexpected document time-stamps at level {level}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
