// Package i18n holds Rangkul's message catalogues (Indonesian and English, more by
// dropping in a folder), their plural rules and locale negotiation.
//
// Catalogues live in locales/<lang>/*.json as flat maps from key to message.
// Messages name their arguments in braces: "Welcome, {name}". A plural message
// has the keys KEY.one and KEY.other; languages without a singular form (Indonesian)
// give only KEY.other.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed locales
var localeFiles embed.FS

// Lang describes a language the interface is offered in.
type Lang struct {
	Code string // BCP 47 tag, as used in <html lang>
	Name string // the language's own name for itself
}

// Bundle is the set of loaded catalogues; it is read-only after Load.
type Bundle struct {
	langs    []Lang
	fallback string
	cats     map[string]map[string]string
}

// Load reads every embedded catalogue. fallback is the language used when a
// request names none we have (the deployment's default).
func Load(fallback string) (*Bundle, error) {
	return LoadFS(localeFiles, fallback)
}

// LoadFS reads catalogues from fsys (a "locales" folder at its root).
func LoadFS(fsys fs.FS, fallback string) (*Bundle, error) {
	b := &Bundle{fallback: fallback, cats: map[string]map[string]string{}}
	dirs, err := fs.ReadDir(fsys, "locales")
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		code := d.Name()
		cat := map[string]string{}
		files, err := fs.Glob(fsys, path.Join("locales", code, "*.json"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			raw, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, err
			}
			var m map[string]string
			if err := json.Unmarshal(raw, &m); err != nil {
				return nil, fmt.Errorf("i18n: %s: %w", f, err)
			}
			for k, v := range m {
				if _, dup := cat[k]; dup {
					return nil, fmt.Errorf("i18n: %s: key %q defined twice in %s", f, k, code)
				}
				cat[k] = v
			}
		}
		name := cat["lang.name"]
		if name == "" {
			return nil, fmt.Errorf("i18n: catalogue %s has no lang.name", code)
		}
		b.cats[code] = cat
		b.langs = append(b.langs, Lang{Code: code, Name: name})
	}
	if _, ok := b.cats[fallback]; !ok {
		return nil, fmt.Errorf("i18n: fallback language %q has no catalogue", fallback)
	}
	sort.Slice(b.langs, func(i, j int) bool { return b.langs[i].Code < b.langs[j].Code })
	return b, nil
}

// Langs lists the languages offered, in a stable order.
func (b *Bundle) Langs() []Lang { return b.langs }

// Fallback is the deployment's default language.
func (b *Bundle) Fallback() string { return b.fallback }

// Supported reports whether code names a loaded catalogue.
func (b *Bundle) Supported(code string) bool { _, ok := b.cats[code]; return ok }

// Keys lists every key of one language's catalogue, sorted.
func (b *Bundle) Keys(code string) []string {
	keys := make([]string, 0, len(b.cats[code]))
	for k := range b.cats[code] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Has reports whether key (or its plural forms) exists in language code.
func (b *Bundle) Has(code, key string) bool {
	c := b.cats[code]
	if _, ok := c[key]; ok {
		return true
	}
	_, ok := c[key+".other"]
	return ok
}

// T translates key into language code, filling {name} arguments from the
// name/value pairs in args. A missing key is an error, never a silent blank.
func (b *Bundle) T(code, key string, args ...any) (string, error) {
	msg, ok := b.cats[code][key]
	if !ok {
		return "", fmt.Errorf("i18n: missing key %q in %q", key, code)
	}
	return fill(msg, args)
}

// Plural translates a plural key for count n, which is also available as {n}.
func (b *Bundle) Plural(code, key string, n int, args ...any) (string, error) {
	c := b.cats[code]
	form := "other"
	if n == 1 && code == "en" {
		form = "one"
	}
	msg, ok := c[key+"."+form]
	if !ok {
		if msg, ok = c[key+".other"]; !ok {
			return "", fmt.Errorf("i18n: missing plural key %q in %q", key, code)
		}
	}
	return fill(msg, append([]any{"n", n}, args...))
}

func fill(msg string, args []any) (string, error) {
	if len(args)%2 != 0 {
		return "", fmt.Errorf("i18n: odd argument list for %q", msg)
	}
	if len(args) == 0 || !strings.Contains(msg, "{") {
		return msg, nil
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i < len(args); i += 2 {
		name, ok := args[i].(string)
		if !ok {
			return "", fmt.Errorf("i18n: argument name %v is not a string", args[i])
		}
		pairs = append(pairs, "{"+name+"}", str(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(msg), nil
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case fmt.Stringer:
		return x.String()
	default:
		return fmt.Sprint(v)
	}
}

// Negotiate picks the best supported language from an Accept-Language header,
// or the fallback.
func (b *Bundle) Negotiate(header string) string {
	best, bestQ := "", -1.0
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if base == "in" { // the old ISO code for Indonesian, still sent by some phones
			base = "id"
		}
		if q > bestQ && q > 0 && b.Supported(base) {
			best, bestQ = base, q
		}
	}
	if best == "" {
		return b.fallback
	}
	return best
}

// Date formats t as a date in language code, e.g. "22 November 2026", from the
// catalogue's date.months.
func (b *Bundle) Date(code string, t time.Time) (string, error) {
	if t.IsZero() {
		return "", nil
	}
	months, err := b.T(code, "date.months")
	if err != nil {
		return "", err
	}
	names := strings.Split(months, ",")
	if len(names) != 12 {
		return "", fmt.Errorf("i18n: date.months in %s must list 12 names", code)
	}
	return fmt.Sprintf("%d %s %d", t.Day(), strings.TrimSpace(names[t.Month()-1]), t.Year()), nil
}

// Weekday names day d (0 Sunday) in language code, from date.weekdays.
func (b *Bundle) Weekday(code string, d time.Weekday) (string, error) {
	days, err := b.T(code, "date.weekdays")
	if err != nil {
		return "", err
	}
	names := strings.Split(days, ",")
	if len(names) != 7 || d < 0 || d > 6 {
		return "", fmt.Errorf("i18n: date.weekdays in %s must list 7 names", code)
	}
	return strings.TrimSpace(names[d]), nil
}

// When formats a meeting time: weekday, date and 24-hour time in t's zone,
// e.g. "Selasa, 24 November 2026, 19:00".
func (b *Bundle) When(code string, t time.Time) (string, error) {
	day, err := b.Weekday(code, t.Weekday())
	if err != nil {
		return "", err
	}
	date, err := b.Date(code, t)
	if err != nil {
		return "", err
	}
	return day + ", " + date + ", " + t.Format("15:04"), nil
}
