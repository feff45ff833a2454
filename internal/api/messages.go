package api

// The original's messages, word for word (Django REST framework 3.17 and Django in French,
// api.md §0–1): partners' clients match them.
const (
	MsgNotAuthenticated = "Informations d'authentification non fournies."
	MsgPermissionDenied = "Vous n'avez pas la permission d'effectuer cette action."
	MsgInvalidToken     = "Token non valide."
	MsgInactiveUser     = "Utilisateur inactif ou supprimé."
	// MsgInvalidCompanyToken is the GEIQ endpoint's, in English (api.md §10 Q10).
	MsgInvalidCompanyToken = "Invalid token."
	MsgHeaderNoKey         = "En-tête « token » non valide. Informations d'identification non fournies."
	MsgHeaderSpaces        = "En-tête « token » non valide. Un token ne doit pas contenir d'espaces."
	MsgHeaderInvalidChars  = "En-tête « token » non valide. Un token ne doit pas contenir de caractères invalides."
	// MsgMethodNotAllowed takes the method: "Méthode « DELETE » non autorisée."
	MsgMethodNotAllowed = "Méthode « %s » non autorisée."
	// MsgThrottled takes the seconds to wait and their plural: "…dans 17 secondes." / "…dans 1 seconde."
	MsgThrottled   = "Requête ralentie. Disponible à nouveau dans %d %s."
	MsgServerError = "Something went wrong, sorry. We've been notified."
	MsgInvalidPage = "Page non valide."

	// Parameter errors (Django's form fields).
	MsgRequired      = "Ce champ est obligatoire."
	MsgBlank         = "Ce champ ne peut être vide."
	MsgNull          = "Ce champ ne peut être nul."
	MsgInvalidInput  = "Saisie invalide."
	MsgNumber        = "Saisissez un nombre."
	MsgMaxValue      = "Assurez-vous que cette valeur est inférieure ou égale à %v."
	MsgMinValue      = "Assurez-vous que cette valeur est supérieure ou égale à %v."
	MsgInvalidChoice = "Sélectionnez un choix valide. %s n’en fait pas partie."
	MsgDateFormat    = "La date n'a pas le bon format. Utilisez un des formats suivants : YYYY-MM-DD."
)
