"""The pages the DSFR footer links to (plan du site, accessibilité, mentions légales,
données personnelles, gestion des cookies): a first version in French that UNESS admins
then keep up to date in the Wagtail admin. The slugs are those siimop_site/footer.py
looks for."""

from datetime import date

from django.utils import timezone
from wagtail.models import Page

from .footer import FOOTER_PAGES
from .models import HomePage, SitemapPage, StandardPage
from .pages import publish, stream


def _text(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def _accessibility(established: date) -> StandardPage:
    day = established.strftime("%d/%m/%Y")
    return StandardPage(
        title="Déclaration d'accessibilité",
        slug=FOOTER_PAGES["accessibility"],
        intro="Le ministère chargé de la santé s'engage à rendre SIIMOP accessible, "
        "conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.",
        body=stream(
            _text(
                "<p>Cette déclaration d'accessibilité s'applique à SIIMOP, le système "
                "d'information des internes en médecine, odontologie et pharmacie : "
                "son site public, l'espace de travail des acteurs, le catalogue de "
                "formations et UNESS Assistance.</p>"
                "<h2>État de conformité</h2>"
                "<p><b>SIIMOP est non conforme</b> avec le référentiel général "
                "d'amélioration de l'accessibilité (RGAA), version 4.1.2 : il n'a "
                "pas encore fait l'objet d'un audit de conformité.</p>"
                "<p>Le service est construit avec le système de design de l'État "
                "(DSFR) et vérifié à chaque version par des tests automatiques "
                "(structure des titres, libellés des champs, contrastes, usage au "
                "clavier), qui ne remplacent pas un audit.</p>"
                "<h2>Contenus non accessibles</h2>"
                "<p>En attendant l'audit, les difficultés suivantes sont connues :</p>"
                "<ul><li>les attestations et documents PDF produits par le service "
                "ne sont pas encore balisés pour les lecteurs d'écran ;</li>"
                "<li>certains tableaux de l'espace de travail comportent de "
                "nombreuses colonnes et demandent un défilement horizontal sur "
                "petit écran ;</li>"
                "<li>les vidéos des formations en ligne n'ont pas toutes une "
                "transcription.</li></ul>"
                "<h2>Établissement de cette déclaration</h2>"
                f"<p>Cette déclaration a été établie le {day}.</p>"
                "<p>Technologies utilisées : HTML5, CSS, JavaScript. Les vérifications "
                "automatiques utilisent axe-core dans le navigateur Chromium.</p>"
                "<h2>Retour d'information et contact</h2>"
                "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, "
                "vous pouvez nous écrire pour être orienté vers une alternative "
                "accessible ou obtenir le contenu sous une autre forme : "
                '<a href="/assistance/nouvelle/">formulaire UNESS Assistance</a> '
                "(précisez « accessibilité » et la page concernée).</p>"
                "<h2>Voies de recours</h2>"
                "<p>Si vous constatez un défaut d'accessibilité vous empêchant "
                "d'accéder à un contenu ou à une fonctionnalité du site, que vous "
                "nous le signalez et que vous ne parvenez pas à obtenir une réponse "
                "de notre part, vous êtes en droit de faire parvenir vos doléances "
                "ou une demande de saisine au Défenseur des droits :</p>"
                "<ul><li>écrire un message au Défenseur des droits par son "
                '<a href="https://formulaire.defenseurdesdroits.fr/">formulaire '
                "en ligne</a> ;</li>"
                "<li>contacter le délégué du Défenseur des droits dans votre "
                'région (<a href="https://www.defenseurdesdroits.fr/saisir/'
                'delegues">liste des délégués</a>) ;</li>'
                "<li>envoyer un courrier par la poste (gratuit, ne pas mettre de "
                "timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris "
                "CEDEX 07.</li></ul>"
            ),
        ),
    )


def _personal_data() -> StandardPage:
    return StandardPage(
        title="Données personnelles",
        slug=FOOTER_PAGES["personal_data"],
        intro="Comment SIIMOP traite les données des internes et des personnes qui "
        "les accompagnent, et comment exercer vos droits.",
        body=stream(
            _text(
                "<h2>Responsable de traitement</h2>"
                "<p>Le responsable de traitement est le <b>ministère chargé de la "
                "santé</b> (direction générale de l'offre de soins, DGOS), 14 avenue "
                "Duquesne, 75350 Paris 07 SP. <b>UNESS</b> (Université numérique en "
                "santé et sport) développe, exploite et assure l'assistance du "
                "service pour son compte, en qualité de sous-traitant au sens de "
                "l'article 28 du règlement général sur la protection des données "
                "(RGPD).</p>"
                "<h2>Finalités</h2>"
                "<ul><li>Suivre le parcours des internes du troisième cycle des "
                "études de médecine, d'odontologie et de pharmacie : inscriptions, "
                "phases, stages, situations particulières, documents ;</li>"
                "<li>organiser les agréments des terrains de stage, les choix de "
                "stage et l'appariement des docteurs juniors ;</li>"
                "<li>gérer les comptes, la connexion et les droits de chaque "
                "acteur selon sa fonction ;</li>"
                "<li>répondre aux demandes adressées à UNESS Assistance ;</li>"
                "<li>produire des statistiques agrégées pour le pilotage national "
                "et régional de l'offre de stages.</li></ul>"
                "<h2>Base légale</h2>"
                "<p>Le traitement est nécessaire à l'exécution d'une mission "
                "d'intérêt public (article 6.1.e du RGPD) : l'organisation du "
                "troisième cycle des études de santé prévue par le code de "
                "l'éducation (articles R. 632-1 et suivants).</p>"
                "<h2>Données traitées</h2>"
                "<p>Identité et coordonnées, parcours universitaire et "
                "hospitalier (spécialité, subdivision, phases, stages, "
                "évaluations), vœux et classements, pièces déposées par l'interne, "
                "fonctions des acteurs, journaux de connexion et d'actions.</p>"
                "<h2>Durées de conservation</h2>"
                "<ul><li>Parcours de l'interne : pendant toute la formation, puis "
                "archivage pendant la durée nécessaire à la délivrance et à la "
                "vérification des diplômes ;</li>"
                "<li>comptes des acteurs : tant que la fonction est exercée, puis "
                "un an ;</li>"
                "<li>journaux de connexion : un an ;</li>"
                "<li>demandes à UNESS Assistance : deux ans après leur "
                "clôture.</li></ul>"
                "<h2>Destinataires</h2>"
                "<p>Chaque acteur ne voit que les dossiers de son périmètre : "
                "scolarités des facultés, coordonnateurs de spécialité, agences "
                "régionales de santé, responsables des terrains de stage, "
                "directions des affaires médicales des établissements, DGOS, et "
                "les équipes d'assistance d'UNESS. Les données sont hébergées en "
                "France et ne sont pas transférées hors de l'Union européenne.</p>"
                "<h2>Vos droits</h2>"
                "<p>Vous disposez d'un droit d'accès, de rectification, "
                "d'opposition et de limitation du traitement de vos données "
                "(articles 15, 16, 18 et 21 du RGPD). La plupart de vos données "
                "sont consultables dans « Mes informations », une fois "
                "connecté.</p>"
                "<h2>Délégué à la protection des données</h2>"
                "<p>Pour exercer vos droits ou pour toute question, écrivez au "
                "délégué à la protection des données du ministère chargé de la "
                "santé par le "
                '<a href="/assistance/nouvelle/">formulaire UNESS Assistance</a> '
                "(objet « Données personnelles »), qui lui transmet votre demande, "
                "ou par courrier : Délégué à la protection des données, ministère "
                "chargé de la santé, 14 avenue Duquesne, 75350 Paris 07 SP.</p>"
                "<p>Si vous estimez, après nous avoir contactés, que vos droits ne "
                "sont pas respectés, vous pouvez adresser une réclamation à la "
                '<a href="https://www.cnil.fr/fr/plaintes">CNIL</a>.</p>'
            ),
        ),
    )


def _legal_notice() -> StandardPage:
    return StandardPage(
        title="Mentions légales",
        slug=FOOTER_PAGES["legal_notice"],
        body=stream(
            _text(
                "<h2>Éditeur</h2>"
                "<p>Ministère chargé de la santé — direction générale de l'offre "
                "de soins (DGOS), 14 avenue Duquesne, 75350 Paris 07 SP.</p>"
                "<h2>Directeur de la publication</h2>"
                "<p>Le directeur général de l'offre de soins.</p>"
                "<h2>Conception, exploitation et assistance</h2>"
                "<p>UNESS (Université numérique en santé et sport), pour le compte "
                "du ministère. Pour toute question : "
                '<a href="/assistance/nouvelle/">UNESS Assistance</a>.</p>'
                "<h2>Hébergement</h2>"
                "<p>Le service est hébergé en France par le prestataire retenu par "
                "UNESS ; sa raison sociale, son adresse et son téléphone sont "
                "indiqués ici par l'administrateur du site.</p>"
                "<h2>Propriété intellectuelle</h2>"
                "<p>Sauf mention contraire, les contenus de ce site sont proposés "
                "sous licence ouverte Etalab 2.0. Les marques et logos restent la "
                "propriété de leurs titulaires.</p>"
                "<h2>Accessibilité et données personnelles</h2>"
                '<p>Voir la <a href="/accessibilite/">déclaration '
                "d'accessibilité</a> et la page "
                '<a href="/donnees-personnelles/">Données personnelles</a>.</p>'
            ),
        ),
    )


def _cookies() -> StandardPage:
    return StandardPage(
        title="Gestion des cookies",
        slug=FOOTER_PAGES["cookies"],
        intro="SIIMOP ne dépose que des cookies strictement nécessaires à son "
        "fonctionnement : aucun cookie de mesure d'audience ni de publicité.",
        body=stream(
            _text(
                "<p>Ces cookies sont exemptés de consentement (article 82 de la loi "
                "Informatique et Libertés) : aucun bandeau ne vous le demande, et "
                "les refuser dans votre navigateur empêche de se connecter ou "
                "d'envoyer un formulaire.</p>"
                "<h2>Les cookies déposés</h2>"
                "<ul><li><b>sessionid</b> : vous garde connecté d'une page à "
                "l'autre ; supprimé à la déconnexion, il expire au plus tard deux "
                "semaines après ;</li>"
                "<li><b>csrftoken</b> : protège les formulaires contre leur envoi "
                "par un autre site (falsification de requête) ;</li>"
                "<li><b>messages</b> : transmet le message de confirmation affiché "
                "après une action, puis disparaît ;</li>"
                "<li><b>django_language</b> : seulement si vous choisissez une "
                "autre langue que le français, pour la retenir ;</li>"
                "<li><b>siimop_idp</b> : seulement si vous vous connectez par "
                "votre université, pour la proposer en premier la fois suivante "
                "(un an).</li></ul>"
                "<p>Le thème d'affichage (clair ou sombre) choisi dans les "
                "paramètres d'affichage est conservé dans votre navigateur "
                "(stockage local) et n'est jamais transmis.</p>"
            ),
        ),
    )


def legal_pages_build(home: Page | None = None) -> int:
    """The footer's pages under the home, each unless a page already has its slug
    there (an admin's version is never replaced); the number created."""
    home = home or HomePage.objects.first()
    if home is None:
        return 0
    existing = set(home.get_children().values_list("slug", flat=True))
    pages = [
        SitemapPage(
            title="Plan du site",
            slug=FOOTER_PAGES["sitemap"],
            intro="Toutes les pages publiques de SIIMOP.",
        ),
        _accessibility(timezone.localdate()),
        _legal_notice(),
        _personal_data(),
        _cookies(),
    ]
    created = 0
    for page in pages:
        if page.slug not in existing:
            publish(home, page)
            created += 1
    return created
