// Command rangkul runs a Rangkul network: `rangkul demo` to see it at once,
// `rangkul serve` in production, and the operator's commands.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/config"
	"github.com/rangkul/rangkul/internal/db"
	"github.com/rangkul/rangkul/internal/i18n"
	"github.com/rangkul/rangkul/internal/valid"
)

const usage = `Rangkul: community mental-health support networks and health advocacy.

Usage:
  rangkul demo [--addr HOST:PORT] [--data DIR]    run with a bilingual demo network (embedded SQLite)
  rangkul serve [--addr HOST:PORT] [--data DIR]   run (RANGKUL_DATABASE_URL=postgres://... or sqlite:PATH)
  rangkul migrate [--data DIR]                    apply database migrations and exit
  rangkul user create USERNAME [--email E] [--org SLUG --role ROLE] [--admin] [--password-stdin]
  rangkul user set-role USERNAME ROLE [--org SLUG] [--revoke]
                                                  ROLE admin without --org: network administrator
  rangkul user reset-password USERNAME [--password-stdin]
  rangkul keys add|rotate|status [--data DIR] [--batch N]
                                                  add a sealing key; re-seal sensitive fields with it; count by key
  rangkul export responses --out FILE.csv [--wide] [--org SLUG] [--group ID] [--topic T] [--from DATE] [--to DATE]
  rangkul export fhir --out FILE.json [same filters]
                                                  research export: consented, pseudonymised answers (CSV or FHIR R4)
  rangkul import hsds [--data DIR] PATH            load HSDS data (a folder of CSV tables or a JSON file) into the
                                                  service directory; all or nothing, problems listed by table/row/field
  rangkul export hsds --out DIR [--data DIR]      write the service directory as HSDS CSV tables + datapackage.json
  rangkul screen                                  read messages on stdin, one per line; print one JSON
                                                  screening result per line (level none, concern or crisis)
  rangkul instruments list                        the questionnaires: code, name, items, wording status
  rangkul instruments score CODE                  read answers on stdin (comma-separated, one questionnaire per
                                                  line); print one JSON score per line
                                                  (CODE: phq9, gad7, who5, k10, ucla3, osss3)
  rangkul version

Roles: member, facilitator, mentor, coordinator, professional, moderator, analyst, admin.
Every command that touches data takes --data DIR or RANGKUL_DATABASE_URL.
`

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "rangkul:", explain(err))
		os.Exit(exitStatus(err))
	}
}

// explain turns a field error into the English sentence the web form would show.
func explain(err error) string {
	fe, ok := valid.As(err)
	if !ok {
		return err.Error()
	}
	b, lerr := i18n.Load("en")
	if lerr != nil {
		return err.Error()
	}
	msg, terr := b.T("en", fe.Key, fe.Args...)
	if terr != nil {
		return err.Error()
	}
	return fe.Field + ": " + msg
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "demo":
		return serve(args[1:], stdout, stderr, true)
	case "serve":
		return serve(args[1:], stdout, stderr, false)
	case "migrate":
		return migrate(args[1:], stdout, stderr)
	case "screen":
		return screen(args[1:], stdin, stdout, stderr)
	case "instruments":
		return instruments(args[1:], stdin, stdout, stderr)
	case "keys":
		return keys(args[1:], stdout, stderr)
	case "export":
		if len(args) > 1 && args[1] == "hsds" {
			return exportHSDS(args[2:], stdout, stderr)
		}
		return export(args[1:], stdout, stderr)
	case "import":
		return importHSDS(args[1:], stdout, stderr)
	case "user":
		return user(args[1:], stdin, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "rangkul", app.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

func logger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// parse reads a command's flags (which may come before or after its
// positional arguments) and validates the configuration.
func parse(name string, args []string, stderr io.Writer, extra func(fs *flag.FlagSet)) (*config.Config, []string, error) {
	fs := flag.NewFlagSet("rangkul "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := config.Flags(fs)
	if extra != nil {
		extra(fs)
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return cfg, positional, nil
}

func serve(args []string, stdout, stderr io.Writer, demo bool) error {
	cfg, _, err := parse(map[bool]string{true: "demo", false: "serve"}[demo], args, stderr, nil)
	if err != nil {
		return err
	}
	if demo && !strings.HasPrefix(cfg.DatabaseURL, "postgres") {
		// The demo runs on the embedded database under --data, unless it is
		// pointed at PostgreSQL (RANGKUL_DATABASE_URL=postgres://...), for
		// trying several instances against one database.
		cfg.DatabaseURL = ""
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := logger(stderr, cfg.LogLevel)
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if demo {
		loaded, err := a.LoadDemo(ctx)
		if err != nil {
			return err
		}
		if loaded {
			log.Info("demo network loaded")
		}
	}
	return a.Serve(ctx, func(addr string) {
		log.Info("listening", "addr", addr, "engine", string(a.DB.Dialect()), "version", app.Version)
		if !demo {
			return
		}
		abs, _ := filepath.Abs(cfg.DataDir)
		fmt.Fprintf(stdout, "\nRangkul demo is running: http://%s/\n", addr)
		fmt.Fprintf(stdout, "Data: %s (delete it to start afresh)\n\n", abs)
		fmt.Fprintf(stdout, "Sign in as any of these, password %q:\n", app.DemoPassword)
		for _, d := range app.DemoAccounts {
			fmt.Fprintf(stdout, "  %-18s %s (%s)\n", d.Username, d.Role, d.Org)
		}
		fmt.Fprintln(stdout, "\nPress Ctrl+C to stop.")
	})
}

func openDB(ctx context.Context, cfg *config.Config) (*db.DB, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func migrate(args []string, stdout, stderr io.Writer) error {
	cfg, _, err := parse("migrate", args, stderr, nil)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return err
	}
	ctx := context.Background()
	d, err := db.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer d.Close()
	n, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	v, err := d.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "applied %d migration(s); schema version %d (%s)\n", n, v, d.Dialect())
	return nil
}

func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func user(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("user: want create, set-role or reset-password")
	}
	sub := args[0]
	var email, org, role string
	var admin, revoke, pwStdin bool
	cfg, pos, err := parse("user "+sub, args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "e-mail address (optional)")
		fs.StringVar(&org, "org", "", "organisation slug")
		fs.StringVar(&role, "role", "", "role in --org")
		fs.BoolVar(&admin, "admin", false, "make a network administrator")
		fs.BoolVar(&revoke, "revoke", false, "take the role away instead")
		fs.BoolVar(&pwStdin, "password-stdin", false, "read the password from the first line of standard input")
	})
	if err != nil {
		return err
	}
	ctx := auth.System(context.Background())
	d, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	a, err := app.Wire(cfg, logger(stderr, cfg.LogLevel), d, app.Options{})
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		if len(pos) != 1 {
			return errors.New("user create: want exactly one USERNAME")
		}
		pw, generated := "", false
		if pwStdin {
			if pw, err = readPassword(stdin); err != nil {
				return err
			}
		} else {
			pw, generated = app.RandomPassword(), true
		}
		u, codes, err := a.Auth.Register(ctx, auth.Registration{Username: pos[0], Password: pw, Email: email})
		if err != nil {
			return err
		}
		if admin {
			if err := a.Auth.SetSiteAdmin(ctx, u.ID, true); err != nil {
				return err
			}
		}
		if org != "" || role != "" {
			if err := grant(ctx, a, u.ID, org, role, false); err != nil {
				return err
			}
		}
		fmt.Fprintf(stdout, "created %s (id %d)\n", u.Username, u.ID)
		if generated {
			fmt.Fprintf(stdout, "password: %s\n", pw)
		}
		fmt.Fprintln(stdout, "recovery codes (give them to the person; they are not shown again):")
		for _, c := range codes {
			fmt.Fprintln(stdout, "  "+c)
		}
		return nil
	case "set-role":
		if len(pos) != 2 {
			return errors.New("user set-role: want USERNAME ROLE")
		}
		p, err := a.Auth.PersonByName(ctx, pos[0])
		if err != nil {
			return fmt.Errorf("user %q: %w", pos[0], err)
		}
		if pos[1] == string(auth.RoleAdmin) && org == "" {
			if err := a.Auth.SetSiteAdmin(ctx, p.User.ID, !revoke); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s network administrator: %v\n", p.User.Username, !revoke)
			return nil
		}
		if err := grant(ctx, a, p.User.ID, org, pos[1], revoke); err != nil {
			return err
		}
		verb := "granted"
		if revoke {
			verb = "revoked"
		}
		fmt.Fprintf(stdout, "%s %s: %s in %s\n", verb, p.User.Username, pos[1], org)
		return nil
	case "reset-password":
		if len(pos) != 1 {
			return errors.New("user reset-password: want exactly one USERNAME")
		}
		pw, generated := "", false
		if pwStdin {
			if pw, err = readPassword(stdin); err != nil {
				return err
			}
		} else {
			pw, generated = app.RandomPassword(), true
		}
		if err := a.Auth.ResetPassword(ctx, pos[0], pw); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s reset; their sessions have ended\n", auth.NormaliseUsername(pos[0]))
		if generated {
			fmt.Fprintf(stdout, "new password: %s\n", pw)
		}
		return nil
	}
	return fmt.Errorf("user: unknown command %q (want create, set-role or reset-password)", sub)
}

func grant(ctx context.Context, a *app.App, userID int64, org, role string, revoke bool) error {
	if org == "" || role == "" {
		return errors.New("--org and a role are both needed")
	}
	if !auth.ValidRole(auth.Role(role)) {
		return fmt.Errorf("unknown role %q", role)
	}
	o, err := a.Auth.OrgBySlug(ctx, org)
	if err != nil {
		return fmt.Errorf("organisation %q: %w", org, err)
	}
	if revoke {
		return a.Auth.RevokeRole(ctx, userID, o.ID, auth.Role(role))
	}
	return a.Auth.GrantRole(ctx, userID, o.ID, auth.Role(role))
}
