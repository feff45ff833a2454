package employeerecord

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DemoASP plays the ASP's side of the exchange on the folder an in-process SFTP server serves
// (the demo, and the tests of the exchange): every file dropped in `depot` is answered in
// `retrait` by a file of the same lines, each with a processing code, as the ASP does (asp.md
// §5.7), and leaves `depot`.
type DemoASP struct {
	Root string
	// Rejections gives the code to answer for a person, by their last name as sent (upper
	// case); every other line is integrated (0000).
	Rejections map[string]string
}

// demoLabels are the labels the demo ASP answers with.
var demoLabels = map[string]string{
	CodeIntegrated: "Données intégrées",
	CodeDuplicate:  "Fiche salarié déjà connue de l'ASP",
	"3308":         "La commune de naissance ne correspond pas au département de naissance",
	"3417":         "Commune de résidence inconnue du référentiel",
	"3435":         "Pas d'annexe financière valide pour la structure",
}

// Answer answers every file waiting in depot; it returns the names of the feedback files.
func (d *DemoASP) Answer() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(d.Root, UploadFolder))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, FilePrefix) {
			continue
		}
		feedback, err := d.answer(name)
		if err != nil {
			return out, err
		}
		out = append(out, feedback)
	}
	return out, nil
}

func (d *DemoASP) answer(name string) (string, error) {
	path := filepath.Join(d.Root, UploadFolder, name)
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var file struct {
		Lines []map[string]any `json:"lignesTelechargement"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		return "", fmt.Errorf("employeerecord: demo ASP: %s: %w", name, err)
	}
	for _, l := range file.Lines {
		code := CodeIntegrated
		if person, ok := l["personnePhysique"].(map[string]any); ok {
			if c, ok := d.Rejections[fmt.Sprint(person["nomUsage"])]; ok {
				code = c
			}
		}
		label, ok := demoLabels[code]
		if !ok {
			label = "Rejet de l'ASP"
		}
		l["codeTraitement"], l["libelleTraitement"] = code, label
	}
	answer, err := json.Marshal(map[string]any{"msgInformatif": nil, "telId": nil, "lignesTelechargement": file.Lines})
	if err != nil {
		return "", err
	}
	feedback := strings.TrimSuffix(name, ".json") + "_FichierRetour.json"
	if err := os.WriteFile(filepath.Join(d.Root, DownloadFolder, feedback), answer, 0o600); err != nil {
		return "", err
	}
	return feedback, os.Remove(path)
}
