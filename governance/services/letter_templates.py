"""What coordination edits of the letters in the app: their texts (per program, kind and
language), the letterhead, and each program's signatory. Each save is audited with what it
replaced."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from pic.access import ensure, person
from pic.audit import audit
from pic.models import User
from proposals.models import Program, Proposal

from ..letter_templates import INLINE, PLACEHOLDERS, unknown_placeholders
from ..letters import MAX_SIGNATURE_BYTES
from ..models import DecisionLetter, Letterhead, LetterSignatory, LetterTemplate

IMAGE_TYPES = ("image/png", "image/jpeg")


def letter_template_check(*, subject: str, body: str) -> None:
    """Refuse a text naming what is not a placeholder (a block in the subject included),
    saying which; what was typed stays in the form."""
    def names(found):
        return ", ".join(f"{{{{ {name} }}}}" for name in found)

    errors = {}
    for field, text in (("subject", subject), ("body", body)):
        unknown = unknown_placeholders(text)
        if unknown:
            errors[field] = _("Ces champs de fusion n'existent pas : %(names)s. Utilisez ceux "
                              "de la liste.") % {"names": names(unknown)}
    blocks = [n for n in unknown_placeholders(subject, allowed=INLINE) if n in PLACEHOLDERS]
    if blocks and "subject" not in errors:
        errors["subject"] = _("Un bloc ne va pas dans l'objet : %(names)s.") % {
            "names": names(blocks)}
    if not (body or "").strip():
        errors["body"] = _("Le texte de la lettre ne peut pas être vide.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def letter_template_save(*, program: Program, kind: str, language: str, subject: str,
                         body: str, actor: User) -> LetterTemplate:
    ensure(actor, "letter.template", program)
    if kind not in DecisionLetter.Kind.values or language not in LetterTemplate.Language.values:
        raise ValidationError(_("Ce modèle de lettre n'existe pas."))
    subject, body = " ".join((subject or "").split()), (body or "").replace("\r\n", "\n").strip()
    letter_template_check(subject=subject, body=body)
    template = (LetterTemplate.objects.select_for_update()
                .filter(program=program, kind=kind, language=language).first())
    before = {"subject": template.subject, "body": template.body} if template else {}
    if template is None:
        template = LetterTemplate(program=program, kind=kind, language=language)
    template.subject, template.body = subject, body
    template.updated_at, template.updated_by = timezone.now(), person(actor)
    template.save()
    audit(actor, "letter_template.saved", program, kind=kind, language=language,
          subject=subject, body=body, previous=before)
    return template


def letter_template_preview(*, proposal: Proposal, kind: str, language: str, subject: str,
                            body: str, actor: User) -> bytes:
    """The PDF a text being edited gives for a file the editor sees, before it is saved."""
    from ..letters import letter_render

    ensure(actor, "letter.template", proposal)
    letter_template_check(subject=subject, body=body)
    pdf, _language = letter_render(proposal, kind, text=(subject, body), language=language)
    return pdf


@transaction.atomic
def letter_template_reset(*, program: Program, kind: str, language: str,
                          actor: User) -> None:
    """Back to the shipped text (the stored one is kept in the audit)."""
    ensure(actor, "letter.template", program)
    template = LetterTemplate.objects.filter(program=program, kind=kind,
                                             language=language).first()
    if template is None:
        return
    audit(actor, "letter_template.reset", program, kind=kind, language=language,
          previous={"subject": template.subject, "body": template.body})
    template.delete()


def image_check(upload, *, field: str) -> str:
    """A PNG or JPEG by its content (pic.documents' checks), at most 512 KB: its extension."""
    from pic.documents import validate_upload

    try:
        content_type = validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error
    if content_type not in IMAGE_TYPES:
        raise ValidationError({field: _("« %(name)s » n'est pas une image PNG ou JPEG.")
                               % {"name": upload.name}})
    if upload.size > MAX_SIGNATURE_BYTES:
        raise ValidationError({field: _("« %(name)s » pèse %(size)s : une image de lettre "
                                        "pèse au plus %(max)s.") % {
            "name": upload.name, "size": filesizeformat(upload.size),
            "max": filesizeformat(MAX_SIGNATURE_BYTES)}})
    upload.seek(0)
    return ".png" if content_type == "image/png" else ".jpg"


@transaction.atomic
def letterhead_save(*, name: str, address: str, actor: User, logo=None,
                    remove_logo: bool = False) -> Letterhead:
    ensure(actor, "letter.template")
    extension = image_check(logo, field="logo") if logo is not None else ""
    letterhead = Letterhead.objects.select_for_update().order_by("pk").first() or Letterhead()
    before = {"name": letterhead.name, "address": letterhead.address,
              "logo": letterhead.logo.name or ""}
    letterhead.name = (name or "").strip()
    letterhead.address = "\n".join(line.strip() for line in (address or "").splitlines()
                                   if line.strip())
    old_logo = letterhead.logo.name if (logo is not None or remove_logo) else ""
    if logo is not None:
        letterhead.logo.save(f"logo-{timezone.now():%Y%m%d%H%M%S}{extension}", logo, save=False)
    elif remove_logo:
        letterhead.logo = ""
    letterhead.updated_at, letterhead.updated_by = timezone.now(), person(actor)
    letterhead.save()
    audit(actor, "letterhead.saved", letterhead, name=letterhead.name,
          address=letterhead.address, logo=letterhead.logo.name or "", previous=before,
          replaced_logo=old_logo)
    return letterhead


@transaction.atomic
def signatory_save(*, program: Program, name: str, title: str, actor: User, signature=None,
                   remove_signature: bool = False) -> LetterSignatory:
    ensure(actor, "letter.template", program)
    if not (name or "").strip():
        raise ValidationError({"name": _("Nommez la personne qui signe les lettres.")})
    extension = (image_check(signature, field="signature") if signature is not None
                 else "")
    signatory = (LetterSignatory.objects.select_for_update().filter(program=program).first()
                 or LetterSignatory(program=program))
    before = {"name": signatory.name, "title": signatory.title,
              "signature": signatory.signature.name or ""}
    signatory.name, signatory.title = name.strip(), (title or "").strip()
    if signature is not None:
        signatory.signature.save(f"{program.pk}-{timezone.now():%Y%m%d%H%M%S}{extension}",
                                 signature, save=False)
    elif remove_signature:
        signatory.signature = ""
    signatory.save()
    audit(actor, "letter_signatory.saved", program, name=signatory.name,
          title=signatory.title, signature=signatory.signature.name or "", previous=before)
    return signatory
