"""What failures look like: every exception is a `cqes.CqesError` with a stable `error` code,
and none carries personal data."""

from __future__ import annotations

from cqes import ApiError, CqesError, SigningExpired, SigningRejected, TransportError, ValidationError
from cqes.btrust import Client, Content, ContentFormat, SignerIdentity, SignRequest

from _settings import client_settings, sample_pdf, signer_egn


def main() -> None:
    with Client(**client_settings()) as client:
        # Invalid input is refused before anything is sent, with every issue at once.
        try:
            client.sign(
                identity=SignerIdentity(personal_id="7501010011"),  # wrong check digit
                request=SignRequest(contents=[]),
            )
        except ValidationError as e:
            for issue in e.issues:
                print(f"invalid: {issue.path}: {issue.code.value} ({issue.message})")

        try:
            client.sign(
                identity=SignerIdentity(personal_id=signer_egn()),
                request=SignRequest(contents=[Content(
                    confirm_text="Contract", content_format=ContentFormat.BINARY_BASE64, data=sample_pdf(),
                )]),
            )
            print("signed")
        except SigningRejected as e:
            print(f"the customer declined request {e.request_id}")
        except SigningExpired:
            print("the customer did not act in time")
        except ApiError as e:
            print(f"B-Trust refused: HTTP {e.http_status} {e.response_code}: {e.message}")
        except TransportError as e:
            print(f"network problem ({e.kind.value}); it is safe to retry the flow: {e}")
        except CqesError as e:  # anything else: unexpected responses, invalid state
            print(f"{e.error}: {e}")


if __name__ == "__main__":
    main()
