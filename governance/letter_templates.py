"""Letter texts coordination edits in the app, rendered sandboxed.

A text is plain text with placeholders `{{ quartier }}`: it is never run as a Django template.
Each value is escaped; a block placeholder (`{{ montants }}`, `{{ conditions }}`…) is HTML our
own templates render (governance/pdf/_blocks/); a blank line starts a paragraph; anything else
(`{% load %}`, `<script>`, an unknown `{{ name }}`) comes out as the text it is. Unknown
placeholders are refused when a text is saved (`unknown_placeholders`).

One list of placeholders (French names, for both languages): PLACEHOLDERS. The shipped texts
(DEFAULTS) are French with their English in the catalogue; a program without a stored text for
a kind and language writes them.
"""

import re

from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from pic.formatting import format_date, format_money

from .models import DecisionLetter, LetterTemplate

PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

# name -> what it stands for (shown beside the editor). Inline values first, then blocks.
PLACEHOLDERS: dict[str, object] = {
    "salutation": _("« Bonjour (nom de la personne), » ou « Madame, Monsieur, »"),
    "coordonnateur": _("nom de la personne qui coordonne la table"),
    "table": _("nom de la table de quartier"),
    "quartier": _("nom du quartier"),
    "titre": _("titre de la proposition"),
    "initiative": _("titre de l'initiative"),
    "etape": _("étape (numéro et nom)"),
    "total": _("total du soutien annuel (modifié, pour une modification)"),
    "renforcement": _("montant du renforcement des compétences"),
    "conseiller": _("nom de la conseillère ou du conseiller territorial"),
    "date_enterinement": _("date de l'entérinement"),
    "instance": _("instance qui a entériné"),
    "resolution": _("numéro de la résolution d'entérinement"),
    "modification_numero": _("numéro de la modification acceptée"),
    "modification_changements": _("ce qui change, selon la modification"),
    "tableau_dossier": _("bloc : tableau quartier, étape, initiative"),
    "montants": _("bloc : montants par année, versements et rapports annuels, total, "
                  "renforcement (montants entérinés et modifiés, pour une modification)"),
    "versements": _("bloc : calendrier des versements"),
    "echeances_rapports": _("bloc : obligations de reddition de comptes et dates des rapports"),
    "conditions": _("bloc : conditions (celles corrigées avant l'envoi)"),
    "motifs": _("bloc : motifs de la décision (lettre de refus)"),
}
BLOCKS = ("tableau_dossier", "montants", "versements", "echeances_rapports", "conditions",
          "motifs")
INLINE = tuple(name for name in PLACEHOLDERS if name not in BLOCKS)

_CLOSING = _("Veuillez agréer nos salutations distinguées.")
DEFAULTS = {
    DecisionLetter.Kind.ALLOCATION: (
        _("Objet : confirmation d'allocation — {{ titre }}"),
        [_("{{ salutation }}"),
         _("Nous avons le plaisir de confirmer à {{ table }} ({{ quartier }}) l'allocation "
           "recommandée par le comité de gestion du Projet impact collectif et entérinée par "
           "le {{ instance }} le {{ date_enterinement }}."),
         "{{ tableau_dossier }}", "{{ montants }}", "{{ echeances_rapports }}",
         "{{ conditions }}",
         _("Votre conseillère ou conseiller territorial communiquera avec vous pour discuter "
           "de l'analyse et du plan d'action de la prochaine année."),
         _CLOSING]),
    DecisionLetter.Kind.REFUSAL: (
        _("Objet : décision sur votre proposition — {{ titre }}"),
        [_("{{ salutation }}"),
         _("Après analyse, le comité de gestion du Projet impact collectif n'a pas retenu la "
           "proposition du quartier {{ quartier }} pour l'étape suivante :"),
         "{{ tableau_dossier }}", "{{ motifs }}",
         _("Votre conseillère ou conseiller territorial reste disponible pour en discuter et "
           "préparer, s'il y a lieu, une nouvelle proposition."),
         _CLOSING]),
    DecisionLetter.Kind.AMENDMENT: (
        _("Objet : acceptation de la modification n° {{ modification_numero }} — {{ titre }}"),
        [_("{{ salutation }}"),
         _("Nous avons le plaisir de confirmer à {{ table }} ({{ quartier }}) que la "
           "modification n° {{ modification_numero }} de sa proposition, déposée à la suite "
           "de l'échange avec l'équipe, est acceptée : les montants de l'allocation sont "
           "ceux du tableau ci-dessous."),
         "{{ tableau_dossier }}",
         _("Ce qui change : {{ modification_changements }}"),
         "{{ montants }}", "{{ echeances_rapports }}",
         _("Votre conseillère ou conseiller territorial reste disponible pour toute "
           "question."),
         _CLOSING]),
}


def default_text(kind: str, language: str) -> tuple[str, str]:
    """The shipped subject and body of a kind, in a language (French, or its English)."""
    subject, paragraphs = DEFAULTS[kind]
    with override(language):
        return str(subject), "\n\n".join(str(p) for p in paragraphs)


def template_text(program, kind: str, language: str) -> tuple[str, str]:
    """The program's stored text for the kind and language, else the shipped one."""
    stored = (LetterTemplate.objects.filter(program=program, kind=kind, language=language)
              .values_list("subject", "body").first())
    return stored or default_text(kind, language)


def unknown_placeholders(text: str, *, allowed=tuple(PLACEHOLDERS)) -> list[str]:
    """The `{{ names }}` of a text that are not placeholders, in order, once each."""
    found = [m.group(1) for m in PLACEHOLDER_RE.finditer(text or "")]
    return list(dict.fromkeys(name for name in found if name not in allowed))


# --- Rendering ----------------------------------------------------------------------------------


def _text(text: str):
    """Typed text, escaped, its single line breaks kept."""
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in text.split("\n")))


def _inline(text: str, values: dict, blocks: dict):
    pieces, position = [], 0
    for match in PLACEHOLDER_RE.finditer(text):
        pieces.append(_text(text[position:match.start()]))
        name = match.group(1)
        if name in blocks:
            pieces.append(blocks[name])  # our own template's HTML
        elif name in values:
            pieces.append(_text(str(values[name] or "")))
        else:
            pieces.append(_text(match.group(0)))  # not a placeholder: the text typed
        position = match.end()
    pieces.append(_text(text[position:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def render_subject(text: str, values: dict):
    return _inline(" ".join(text.split()), values, {})


def render_body(text: str, values: dict, blocks: dict):
    """Paragraphs from blank lines; a paragraph of block placeholders alone is those blocks
    (nothing when they are empty, e.g. no conditions)."""
    parts = []
    for paragraph in re.split(r"\n[ \t]*\n", (text or "").replace("\r\n", "\n").strip()):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        names = [m.group(1) for m in PLACEHOLDER_RE.finditer(paragraph)]
        rest = PLACEHOLDER_RE.sub("", paragraph).strip()
        if names and not rest and all(name in blocks for name in names):
            html = format_html_join("", "{}", ((blocks[name],) for name in names))
            if html.strip():
                parts.append(html)
            continue
        inline = _inline(paragraph, values, blocks)
        if any(name in blocks for name in names):
            parts.append(format_html("<div>{}</div>", inline))
        elif not rest and not any(values.get(name) for name in names):
            continue  # only empty values (no coordinator, no amendment)
        else:
            parts.append(format_html("<p>{}</p>", inline))
    return format_html_join("\n", "{}", ((part,) for part in parts))


def placeholder_values(context: dict) -> dict[str, str]:
    """Each inline placeholder's text, from the letter's context (governance.letters)."""
    neighbourhood, ratification = context["neighbourhood"], context["ratification"]
    amendment = context.get("amendment") or {}
    name = context["coordinator_name"]
    act = getattr(ratification, "act", None) if ratification else None
    return {
        "salutation": (_("Bonjour %(name)s,") % {"name": name}) if name
        else _("Madame, Monsieur,"),
        "coordonnateur": name,
        "table": neighbourhood.table_name,
        "quartier": neighbourhood.name,
        "titre": context["proposal"].title,
        "initiative": context["initiative"].title if context["initiative"] else "",
        "etape": str(context["stage"]),
        "total": format_money(context["total"]),
        "renforcement": format_money(context["capacity_building_amount"]),
        "conseiller": context.get("advisor_name", ""),
        "date_enterinement": format_date(ratification.ratified_on) if ratification else "",
        "instance": ratification.committee.display_name if ratification else "",
        "resolution": act.resolution_number if act else "",
        "modification_numero": str(amendment.get("number", "")),
        "modification_changements": amendment.get("reason", ""),
    }


def block_html(context: dict) -> dict:
    """Each block placeholder's HTML, from our own templates (their text escaped there)."""
    return {name: render_to_string(f"governance/pdf/_blocks/{name}.html", context)
            for name in BLOCKS}


# --- Reading: the pages of « Modèles de lettres » -------------------------------------------


def preview_proposals(user, program, kind: str):
    """Recent files of the program the editor sees, that a letter of the kind could be about
    (for the preview): the 20 latest."""
    from proposals.models import Proposal

    from .selectors import PUBLISHED

    states = ((Proposal.Status.NOT_RECOMMENDED,) if kind == DecisionLetter.Kind.REFUSAL
              else PUBLISHED)
    mine = Proposal.objects.visible_to(user).filter(stage__program=program, status__in=states)
    ids = list(mine.order_by("-pk").values_list("pk", flat=True)[:20])
    return (Proposal.objects.filter(pk__in=ids).select_related("neighbourhood")
            .order_by("-pk"))


def template_rows(program) -> list[dict]:
    """Each kind and language of a program's letters: stored (when, by whom) or shipped."""
    stored = {(t.kind, t.language): t for t in LetterTemplate.objects.filter(program=program)
              .select_related("updated_by")}
    return [{"kind": kind, "kind_label": label, "language": language,
             "language_label": language_label, "stored": stored.get((kind, language))}
            for kind, label in DecisionLetter.Kind.choices
            for language, language_label in LetterTemplate.Language.choices]
