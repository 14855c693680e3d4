"""The engine on the test PKI's documents (no database): each case of the issue, one verdict."""

from __future__ import annotations

import pytest

from signatures import engine

from . import pdfs


def roots(*issued):
    return [pdfs.der(i) for i in issued]


def check(content: bytes, trusted=None) -> dict:
    return engine.validate(content, roots(pdfs.pki().root) if trusted is None else trusted)


def test_valid_signature_is_verified_with_signer_and_issuer():
    result = check(pdfs.signed())
    assert result["verdict"] == engine.VERIFIED
    (sig,) = result["signatures"]
    assert sig["signer"]["name"] == "Wali Kota Malang (test)"
    assert sig["signer"]["issuer_name"] == "Uji CA DS"
    assert sig["signer"]["serial"] == "3"
    assert sig["intact"] and sig["trusted"]
    assert sig["chain"] == ["Uji Root CA", "Uji CA DS", "Wali Kota Malang (test)"]
    assert sig["modification"] == "NONE" and sig["coverage"] == "ENTIRE_FILE"
    assert sig["signed_at"] is not None and sig["timestamp"] is None


def test_without_roots_the_signature_is_intact_but_the_signer_not_verified():
    result = check(pdfs.signed(), trusted=[])
    assert result["verdict"] == engine.UNVERIFIED
    assert result["signatures"][0]["intact"] and not result["signatures"][0]["trusted"]


def test_a_signer_of_another_root_is_untrusted():
    result = check(pdfs.untrusted())
    assert result["verdict"] == engine.UNTRUSTED
    assert result["signatures"][0]["trust_problem"] == "NO_CERTIFICATE_CHAIN_FOUND"


def test_an_other_root_configured_does_not_verify_our_signer():
    result = check(pdfs.signed(), trusted=roots(pdfs.pki().other_root))
    assert result["verdict"] == engine.UNTRUSTED


def test_a_document_changed_after_signing_is_modified():
    result = check(pdfs.changed_after_signing())
    assert result["verdict"] == engine.MODIFIED
    sig = result["signatures"][0]
    assert sig["intact"]  # the signed revision itself is untouched...
    assert sig["modification"] == "OTHER"  # ...but the content was changed after it


def test_an_expired_certificate_is_flagged():
    result = check(pdfs.expired())
    assert result["verdict"] == engine.EXPIRED
    assert result["signatures"][0]["expired"] is True


def test_a_timestamp_token_is_read_and_verified():
    result = check(pdfs.timestamped())
    assert result["verdict"] == engine.VERIFIED
    stamp = result["signatures"][0]["timestamp"]
    assert stamp["tsa"] == "Uji TSA"
    assert stamp["intact"] and stamp["trusted"]


def test_an_expired_certificate_timestamped_while_valid_is_verified_at_that_time():
    result = check(pdfs.expired_but_timestamped_in_time())
    sig = result["signatures"][0]
    assert sig["expired"] and sig["valid_when_signed"]
    assert result["verdict"] == engine.VERIFIED


def test_two_signatures_of_both_parties():
    result = check(pdfs.both_parties())
    assert result["verdict"] == engine.VERIFIED
    first, second = result["signatures"]
    assert [first["field"], second["field"]] == ["KotaMalang", "KotaBatu"]
    assert first["signer"]["name"] == "Wali Kota Malang (test)"
    assert second["signer"]["name"] == "Wali Kota Batu (test)"
    # The second signature is the only change after the first: allowed (form filling).
    assert first["modification"] == "FORM_FILLING" and first["status"] == engine.VERIFIED


def test_a_pdf_without_signature():
    assert check(pdfs.unsigned()) == {"verdict": engine.UNSIGNED, "signatures": []}


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (pdfs.broken_xref, engine.UNREADABLE),
        (pdfs.encrypted, engine.ENCRYPTED),
        (lambda: b"not a pdf at all", engine.UNREADABLE),
        (lambda: pdfs.inflation_bomb(64), engine.TOO_COMPLEX),
    ],
    ids=["broken-xref", "encrypted", "garbage", "huge-object-stream"],
)
def test_hostile_pdfs_give_a_clear_error(content, code):
    with pytest.raises(engine.CheckError) as caught:
        check(content())
    assert caught.value.code == code


def test_roots_are_read_from_pem_files_and_fingerprinted(tmp_path):
    assert engine.load_roots(tmp_path) == []
    assert engine.roots_fingerprint([]) == engine.NO_ROOTS
    (tmp_path / "root.pem").write_bytes(pdfs.pki().root.cert_pem)
    (tmp_path / "notes.txt").write_text("not a root")
    (tmp_path / "broken.pem").write_text("-----BEGIN CERTIFICATE-----\nxx\n")
    found = engine.load_roots(tmp_path)
    assert found == [pdfs.der(pdfs.pki().root)]
    assert engine.roots_fingerprint(found) != engine.NO_ROOTS
    (tmp_path / "other.crt").write_bytes(pdfs.pki().other_root.cert_pem)
    assert engine.roots_fingerprint(engine.load_roots(tmp_path)) != engine.roots_fingerprint(found)


def test_signing_and_checking_work_while_an_event_loop_runs_in_the_thread():
    """pyHanko's synchronous API starts its own event loop; a caller with one running (a
    browser journey's Playwright, an async view) gets the same answers, not a RuntimeError."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside_a_running_loop():
        return check(pdfs.signed(field_name="InsideALoop"))

    # In a thread of its own: this one may already run Playwright's loop (the browser journeys).
    with ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(asyncio.run, inside_a_running_loop()).result()
    assert result["verdict"] == engine.VERIFIED
