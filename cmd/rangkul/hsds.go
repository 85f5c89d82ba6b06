package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/rangkul/rangkul/internal/hsds"
)

// importHSDS loads an HSDS data set into the service directory:
//
//	rangkul import hsds [--data DIR] PATH
//
// PATH is a folder of HSDS CSV tables (with or without datapackage.json), a
// single table's CSV file, or an HSDS JSON file (a service or organization,
// a list of them, or an API page). Everything is checked first; a file with
// any invalid record changes nothing and every problem is listed by table,
// row and field. Records are matched by id, so importing again updates.
// Progress goes to stderr.
func importHSDS(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "hsds" {
		return errors.New("import: want hsds (rangkul import hsds [--data DIR] PATH)")
	}
	cfg, pos, err := parse("import hsds", args[1:], stderr, nil)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("import hsds: give one PATH: a folder of HSDS CSV tables or an HSDS JSON file")
	}
	ctx := context.Background()
	d, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := hsds.NewStore(d).Import(ctx, pos[0], stderr)
	if err != nil {
		if ps := hsds.Problems(err); len(ps) > 0 {
			fmt.Fprintf(stderr, "Nothing was imported: %d problem(s). Rows are numbered as in a spreadsheet (the header is row 1); records in a JSON file from 1.\n", len(ps))
			for _, p := range ps {
				fmt.Fprintln(stderr, "  "+p.String())
			}
			return fmt.Errorf("import hsds: %s refused", pos[0])
		}
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(stderr, "warning: "+w.String())
	}
	total := 0
	for _, t := range res.Tables {
		fmt.Fprintf(stdout, "%-26s %8d\n", t.Table, t.Rows)
		total += t.Rows
	}
	fmt.Fprintf(stdout, "imported %d records (%d services) from %s\n", total, res.Services, pos[0])
	return nil
}

// exportHSDS writes the service directory as HSDS CSV tables with
// datapackage.json:
//
//	rangkul export hsds --out DIR [--data DIR]
func exportHSDS(args []string, stdout, stderr io.Writer) error {
	var out string
	cfg, pos, err := parse("export hsds", args, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "folder to write the CSV tables and datapackage.json into (required)")
	})
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("export hsds: unexpected %q", pos[0])
	}
	if out == "" {
		return errors.New("export hsds: --out DIR is required")
	}
	ctx := context.Background()
	d, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	counts, err := hsds.NewStore(d).ExportCSV(ctx, out, stderr)
	if err != nil {
		return err
	}
	total := 0
	for _, c := range counts {
		total += c.Rows
	}
	fmt.Fprintf(stdout, "exported %d records in %d tables to %s\n", total, len(counts), out)
	return nil
}
