package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"

	"emplois/internal/account"
	"emplois/internal/platform/fault"
)

func init() {
	c := command{
		name:    "user",
		usage:   "user create-staff|set-password|deactivate|grant|revoke [options]",
		summary: "Administer accounts: create a staff account, set a password, deactivate an account, grant or revoke a staff permission.",
	}
	c.run = func(ctx context.Context, args []string) error {
		return runUser(ctx, args, os.Stdin, os.Stdout, os.Stderr)
	}
	register(c)
}

// userActions are the `emplois user` subcommands.
var userActions = []command{
	{name: "user create-staff", usage: "user create-staff --email E --first-name F --last-name L [--password-stdin]",
		summary: "Create a staff (itou_staff) account, its e-mail already verified. Without --password-stdin a strong password is generated and printed once."},
	{name: "user set-password", usage: "user set-password --email E [--password-stdin]",
		summary: "Set the password of an account; its open sessions end. Without --password-stdin a strong password is generated and printed once."},
	{name: "user deactivate", usage: "user deactivate --email E",
		summary: "Deactivate an account: it can no longer log in and its open sessions end."},
	{name: "user grant", usage: "user grant --email E --permission P",
		summary: "Give an active staff account a permission of the back office (" + permissionNames() + ")."},
	{name: "user revoke", usage: "user revoke --email E --permission P",
		summary: "Take a permission of the back office back from an account."},
}

func permissionNames() string {
	names := make([]string, len(account.Permissions))
	for i, p := range account.Permissions {
		names[i] = string(p) + ": " + p.Label()
	}
	return strings.Join(names, "; ")
}

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	action, err := pickAction("user", userActions, args, stderr)
	if err != nil {
		return err
	}
	fs := newFlagSet(action)
	fs.SetOutput(stderr)
	email := fs.String("email", "", "e-mail address of the account (required)")
	var firstName, lastName *string
	var fromStdin *bool
	var permission *string
	switch action.name {
	case "user grant", "user revoke":
		permission = fs.String("permission", "", "the permission (required): "+permissionNames())
	case "user create-staff", "user set-password":
		fromStdin = fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	}
	if action.name == "user create-staff" {
		firstName = fs.String("first-name", "", "first name (required)")
		lastName = fs.String("last-name", "", "last name (required)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if strings.TrimSpace(*email) == "" {
		return errors.New("--email is required")
	}
	var perm account.Permission
	if permission != nil {
		var err error
		if perm, err = account.ParsePermission(*permission); err != nil {
			return err
		}
	}

	var password string
	generated := false
	if fromStdin != nil {
		if *fromStdin {
			line, err := bufio.NewReader(stdin).ReadString('\n')
			if err != nil && !errors.Is(err, io.EOF) {
				return fmt.Errorf("read password: %w", err)
			}
			password = strings.TrimRight(line, "\r\n")
			if password == "" {
				return errors.New("--password-stdin: standard input holds no password")
			}
		} else {
			owner := account.PasswordOwner{Email: *email}
			if firstName != nil {
				owner.FirstName, owner.LastName = *firstName, *lastName
			}
			var err error
			if password, err = generatePassword(owner); err != nil {
				return err
			}
			generated = true
		}
	}

	cfg, d, err := openDB(ctx)
	if err != nil {
		return err
	}
	defer d.Close()
	accounts := account.NewService(d, cfg)

	var u *account.User
	switch action.name {
	case "user create-staff":
		u, err = accounts.CreateStaff(ctx, account.StaffInput{Email: *email, FirstName: *firstName, LastName: *lastName, Password: password})
	case "user set-password":
		u, err = accounts.SetPassword(ctx, *email, password)
	case "user deactivate":
		u, err = accounts.Deactivate(ctx, *email)
	case "user grant":
		u, err = accounts.GrantPermission(ctx, *email, perm)
	case "user revoke":
		u, err = accounts.RevokePermission(ctx, *email, perm)
	}
	if err != nil {
		return cliError(err)
	}
	switch action.name {
	case "user create-staff":
		fmt.Fprintf(stdout, "staff account created: %s (public id %s)\n", u.Email, u.PublicID)
	case "user set-password":
		fmt.Fprintf(stdout, "password set for %s; its open sessions are ended\n", u.Email)
	case "user deactivate":
		fmt.Fprintf(stdout, "account deactivated: %s\n", u.Email)
	case "user grant":
		fmt.Fprintf(stdout, "%s holds the permission %s\n", u.Email, perm)
	case "user revoke":
		fmt.Fprintf(stdout, "%s no longer holds the permission %s\n", u.Email, perm)
	}
	if generated {
		fmt.Fprintf(stdout, "password (shown once, not stored in clear): %s\n", password)
	}
	return nil
}

// cliError names the refused options: the account rules speak of form fields.
func cliError(err error) error {
	if errors.Is(err, account.ErrNotFound) {
		return errors.New("no account with this e-mail")
	}
	return optionErrors(err, map[string]string{"email": "--email", "first_name": "--first-name", "last_name": "--last-name", "password": "password"})
}

// optionErrors turns the field errors of a service into lines naming the command's options
// (flags: field → option); other errors are returned as they are.
func optionErrors(err error, flags map[string]string) error {
	fes := fault.FieldsOf(err)
	if fes == nil {
		return err
	}
	var lines []string
	for _, fe := range fes {
		name := flags[fe.Field]
		if name == "" {
			name = fe.Field
		}
		lines = append(lines, name+": "+fe.Message)
	}
	return errors.New(strings.Join(lines, "\n"))
}

// pickAction finds the action of a command with actions (`emplois GROUP ACTION`), or prints them
// for help and for a missing action.
func pickAction(group string, actions []command, args []string, stderr io.Writer) (command, error) {
	names := make([]string, len(actions))
	for i, a := range actions {
		names[i] = strings.TrimPrefix(a.name, group+" ")
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(stderr, "Usage: emplois %s ACTION [options]   (emplois %s ACTION -h explains an action's options)\n", group, group)
		fmt.Fprintln(stderr, "\nActions:")
		for i, a := range actions {
			fmt.Fprintf(stderr, "  %-14s %s\n", names[i], a.summary)
		}
		if len(args) == 0 {
			return command{}, errors.New("missing action")
		}
		return command{}, flag.ErrHelp
	}
	for _, a := range actions {
		if a.name == group+" "+args[0] {
			return a, nil
		}
	}
	return command{}, fmt.Errorf("unknown action %q (%s)", args[0], strings.Join(names, ", "))
}

// passwordAlphabet avoids characters that are easy to misread (0/O, 1/l/I) or awkward in a shell.
const passwordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!?"

// generatePassword returns a random 24-character password (about 142 bits) that passes the
// password rules for owner.
func generatePassword(owner account.PasswordOwner) (string, error) {
	for {
		b := make([]byte, 24)
		for i := range b {
			n, err := rand.Int(rand.Reader, big.NewInt(int64(len(passwordAlphabet))))
			if err != nil {
				return "", fmt.Errorf("generate password: %w", err)
			}
			b[i] = passwordAlphabet[n.Int64()]
		}
		if p := string(b); len(account.PasswordProblems(p, owner)) == 0 {
			return p, nil
		}
	}
}
