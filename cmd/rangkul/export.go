package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/evaluation"
)

// export writes a research export of consented, pseudonymised questionnaire
// answers (C6), as the network's operator:
//
//	rangkul export responses --out FILE.csv [--wide]   tidy CSV, one row per item answer (--wide: per response)
//	rangkul export fhir --out FILE.json                FHIR R4 Bundle of QuestionnaireResponse resources
//
// --org SLUG, --group ID, --topic T, --from and --to (YYYY-MM-DD) narrow it;
// without --from and --to it covers every response. It is written to the
// audit log like an export from the web.
func export(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "responses" && args[0] != "fhir") {
		return errors.New("export: want responses or fhir")
	}
	sub := args[0]
	var out, org, topic, from, to string
	var group int64
	var wide bool
	cfg, pos, err := parse("export "+sub, args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "file to write (required)")
		fs.StringVar(&org, "org", "", "only this organisation (slug)")
		fs.Int64Var(&group, "group", 0, "only this group (id)")
		fs.StringVar(&topic, "topic", "", "only groups on this topic")
		fs.StringVar(&from, "from", "", "first day, YYYY-MM-DD")
		fs.StringVar(&to, "to", "", "last day, YYYY-MM-DD")
		if sub == "responses" {
			fs.BoolVar(&wide, "wide", false, "one row per response, a column per item")
		}
	})
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("export %s: unexpected %q", sub, pos[0])
	}
	if out == "" {
		return fmt.Errorf("export %s: --out FILE is required", sub)
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
	f := evaluation.Filter{GroupID: group, Topic: topic,
		From: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Now().UTC().AddDate(0, 0, 1)}
	if from != "" || to != "" {
		// The web's rules for a period (dates, order, at most five years).
		pf, err := a.Evaluation.ParseFilter(from, to, "", strconv.FormatInt(group, 10), topic)
		if err != nil {
			return err
		}
		f = pf
	} else if topic != "" {
		if _, err := a.Evaluation.ParseFilter("", "", "", "", topic); err != nil {
			return err
		}
	}
	if org != "" {
		o, err := a.Auth.OrgBySlug(ctx, org)
		if err != nil {
			return fmt.Errorf("organisation %q: %w", org, err)
		}
		f.OrgID = o.ID
	}
	format := evaluation.FormatFHIR
	if sub == "responses" {
		format = evaluation.FormatLong
		if wide {
			format = evaluation.FormatWide
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".rangkul-export-*")
	if err != nil {
		return err
	}
	stats, err := a.Evaluation.Export(ctx, f, format, tmp, nil)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	fmt.Fprintf(stdout, "wrote %s: %d rows, %d responses, %d people\n", out, stats.Rows, stats.Responses, stats.People)
	fmt.Fprintf(stdout, "left out: %d people without research consent, %d who would stand out (fewer than %d alike)\n",
		stats.NotConsented, stats.Suppressed, evaluation.MinCell)
	if stats.Invalid > 0 {
		fmt.Fprintf(stdout, "refused: %d responses whose answers do not add up to their stored total\n", stats.Invalid)
	}
	return nil
}
