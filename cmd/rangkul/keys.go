package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/config"
	"github.com/rangkul/rangkul/internal/secret"
)

// keys manages the key ring that seals sensitive fields:
//
//	rangkul keys add      put a new sealing key in front of DATA/keys
//	rangkul keys rotate   seal every sealed value again with the first key
//	rangkul keys status   how many values each key seals, per column
func keys(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("keys: want add, rotate or status")
	}
	batch := 500
	cfg, _, err := parse("keys "+args[0], args[1:], stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&batch, "batch", 500, "rows re-sealed per transaction")
	})
	if err != nil {
		return err
	}
	switch args[0] {
	case "add":
		return keysAdd(cfg, stdout)
	case "rotate", "status":
	default:
		return fmt.Errorf("keys: unknown command %q (want add, rotate or status)", args[0])
	}
	if batch < 1 || batch > 100000 {
		return errors.New("keys: --batch must be between 1 and 100000")
	}
	box, err := keyRing(cfg)
	if err != nil {
		return err
	}
	ctx := context.Background()
	d, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	cols := app.SealedColumns()
	if args[0] == "status" {
		fmt.Fprintf(stdout, "sealing key: %s\n", box.Active())
		for _, c := range cols {
			n, err := secret.Count(ctx, d, c)
			if err != nil {
				return err
			}
			ids := make([]string, 0, len(n))
			for id := range n {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			var parts []string
			for _, id := range ids {
				parts = append(parts, fmt.Sprintf("%s %d", id, n[id]))
			}
			if len(parts) == 0 {
				parts = []string{"empty"}
			}
			fmt.Fprintf(stdout, "%s: %s\n", c.Name(), strings.Join(parts, ", "))
		}
		return nil
	}
	stats, err := secret.Rotate(ctx, d, box, cols, batch, func(c secret.Column, s secret.RotateStats) {
		fmt.Fprintf(stderr, "  %s: %d re-sealed so far\n", c.Name(), s.Resealed)
	})
	if err != nil {
		return err
	}
	var total, unreadable int
	for _, c := range cols {
		s := stats[c.Name()]
		fmt.Fprintf(stdout, "%s: %d re-sealed, %d already current, %d unreadable\n", c.Name(), s.Resealed, s.Current, s.Unreadable)
		total += s.Resealed
		unreadable += s.Unreadable
	}
	fmt.Fprintf(stdout, "done: %d values re-sealed with key %s\n", total, box.Active())
	if unreadable > 0 {
		return fmt.Errorf("keys: %d values could not be opened with any key of the ring and were left as they are", unreadable)
	}
	return nil
}

// keyRing reads the ring the server would use, without creating one.
func keyRing(cfg *config.Config) (*secret.Box, error) {
	if strings.TrimSpace(cfg.Keys) != "" {
		return secret.Parse(cfg.Keys)
	}
	raw, err := os.ReadFile(filepath.Join(cfg.DataDir, "keys"))
	if err != nil {
		return nil, fmt.Errorf("keys: no key ring: set RANGKUL_KEYS or keep one in %s: %w", filepath.Join(cfg.DataDir, "keys"), err)
	}
	return secret.Parse(string(raw))
}

// keysAdd puts a new key in front of DATA/keys, keeping the old ones so that
// values sealed with them still open until `keys rotate` has run.
func keysAdd(cfg *config.Config, stdout io.Writer) error {
	if strings.TrimSpace(cfg.Keys) != "" {
		return errors.New("keys: the key ring comes from RANGKUL_KEYS: put a new entry in front of it yourself " +
			`(make one with: rangkul keys add --data <empty dir>), restart, then run "rangkul keys rotate"`)
	}
	path := filepath.Join(cfg.DataDir, "keys")
	raw, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	ring := strings.TrimSpace(string(raw))
	next := 1
	if ring != "" {
		if _, err := secret.Parse(ring); err != nil {
			return fmt.Errorf("keys: %s: %w", path, err)
		}
		for _, part := range strings.Split(ring, ",") {
			id, _, _ := strings.Cut(strings.TrimSpace(part), ":")
			if n, err := strconv.Atoi(strings.TrimPrefix(id, "k")); err == nil && n >= next {
				next = n + 1
			}
		}
	}
	entry := secret.NewKey("k" + strconv.Itoa(next))
	if ring != "" {
		entry += "," + ring
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return err
	}
	tmp := path + ".new"
	if err := os.WriteFile(tmp, []byte(entry+"\n"), 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added key k%d to %s; restart Rangkul, then run: rangkul keys rotate\n", next, path)
	return nil
}
