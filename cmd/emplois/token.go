package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"emplois/internal/apitoken"
	"emplois/internal/platform/actor"
	"emplois/internal/platform/localtime"
	"emplois/internal/platform/secretkey"
)

func init() {
	c := command{
		name:    "token",
		usage:   "token create|list|revoke [options]",
		summary: "Administer the partner API's département, company and service tokens (api.md §1.1).",
	}
	c.run = func(ctx context.Context, args []string) error { return runToken(ctx, args, os.Stdout, os.Stderr) }
	register(c)
}

// tokenActions are the `emplois token` subcommands.
var tokenActions = []command{
	{name: "token create", usage: "token create --kind department|company|service [--department CODE] [--company UID|SIRET]... [--service CODE] [--label TEXT]",
		summary: "Create a token and print its key once (only its hash is kept): a département token (--department, --label), a company token (--company, repeatable or comma-separated, --label) or a service token (--service, --label as its purpose)."},
	{name: "token list", usage: "token list [--kind department|company|service]",
		summary: "List the tokens: id, family, département or service, label, the key's last characters, creation date, companies, revocation date."},
	{name: "token revoke", usage: "token revoke --id N",
		summary: "Revoke a token: its key no longer opens the API (the token stays listed, marked revoked)."},
}

// listFlag collects a repeatable option whose values may also be comma-separated.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	action, err := pickAction("token", tokenActions, args, stderr)
	if err != nil {
		return err
	}
	fs := newFlagSet(action)
	fs.SetOutput(stderr)
	var kind, department, service, label *string
	var companies listFlag
	var id *int64
	switch action.name {
	case "token create":
		kind = fs.String("kind", "", "family: department, company or service (required)")
		department = fs.String("department", "", "département code of a département token (33, 2A, 974)")
		fs.Var(&companies, "company", "uid or SIRET of a company of a company token (repeatable, or comma-separated)")
		service = fs.String("service", "", "service of a service token: "+strings.Join(apitoken.PartnerCodes(), ", "))
		label = fs.String("label", "", "mémo of a département or company token (≤ 60 characters, unique), purpose of a service token")
	case "token list":
		kind = fs.String("kind", "", "only this family: department, company or service")
	case "token revoke":
		id = fs.Int64("id", 0, "id of the token, as `emplois token list` shows it (required)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if id != nil && *id <= 0 {
		return errors.New("--id is required")
	}

	cfg, d, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	secret, err := secretkey.Load(ctx, d, cfg)
	if err != nil {
		return err
	}
	tokens := apitoken.NewService(d, secret)
	system := actor.Actor{} // the operators, at the command line

	switch action.name {
	case "token create":
		out, err := tokens.CreateFamily(ctx, system, apitoken.FamilyInput{Kind: apitoken.Kind(*kind), Department: *department,
			Service: apitoken.Partner(*service), Label: *label, Companies: companies})
		if err != nil {
			return optionErrors(err, map[string]string{"kind": "--kind", "department": "--department", "companies": "--company",
				"service": "--service", "label": "--label"})
		}
		fmt.Fprintf(stdout, "%s created: %s (id %d)\n", out.Token.Kind.Label(), out.Token.LogName(), out.Token.ID)
		fmt.Fprintf(stdout, "key (shown once, not stored): %s\n", out.Key)
		fmt.Fprintln(stdout, "The partner sends it in every call: Authorization: Token <key>")
	case "token list":
		list, err := tokens.List(ctx, system, apitoken.Kind(*kind))
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tFAMILY\tFOR\tLABEL\tKEY ENDS WITH\tCREATED\tCOMPANIES\tREVOKED")
		for _, t := range list {
			target := t.Department + string(t.Service)
			if target == "" {
				target = "-"
			}
			revoked := "-"
			if t.Revoked() {
				revoked = localtime.Date(*t.RevokedAt)
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", t.ID, t.Kind, target, t.Label, t.KeySuffix,
				localtime.Date(t.CreatedAt), len(t.CompanyIDs), revoked)
		}
		w.Flush()
	case "token revoke":
		if err := tokens.Revoke(ctx, system, *id); err != nil {
			if errors.Is(err, apitoken.ErrNotFound) {
				return fmt.Errorf("no département, company or service token has id %s", strconv.FormatInt(*id, 10))
			}
			if errors.Is(err, apitoken.ErrAlreadyRevoked) {
				return fmt.Errorf("token %d was already revoked", *id)
			}
			return err
		}
		fmt.Fprintf(stdout, "token %d revoked: its key no longer opens the API\n", *id)
	}
	return nil
}
