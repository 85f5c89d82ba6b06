package evaluation

import (
	"encoding/xml"
	"strings"
	"testing"
)

func TestFormatNumber(t *testing.T) {
	for _, c := range []struct {
		v    float64
		dec  int
		lang string
		want string
	}{
		{1234.5, 1, "en", "1,234.5"},
		{1234.5, 1, "id", "1.234,5"},
		{-4, 1, "en", "−4.0"},
		{-0.01, 1, "en", "0.0"},
		{1234567, 0, "id", "1.234.567"},
		{0.5, 2, "id", "0,50"},
	} {
		if got := FormatNumber(c.v, c.dec, c.lang); got != c.want {
			t.Errorf("FormatNumber(%v, %d, %s) = %q, want %q", c.v, c.dec, c.lang, got, c.want)
		}
	}
}

// TestChartsAreAccessible: every chart is well-formed SVG with role="img",
// a title and description it is labelled by, text for every value, and no
// mark for a suppressed figure.
func TestChartsAreAccessible(t *testing.T) {
	bars := []Bar{{Label: "Jan <2026>", Value: 12, Text: "12"}, {Label: "Feb 2026", Value: 3, Text: "fewer than 5", Hidden: true}}
	for name, svg := range map[string]string{
		"columns": string(Columns("c", "Title & more", "Desc", bars, 12)),
		"bars":    string(HBars("b", "Title & more", "Desc", bars, 12)),
		"stacks": string(Stacks("s", "Title & more", "Desc", []Stack{{Label: "PHQ-9", Shares: []float64{0.5, 0.5, 0}, Note: "better 50%"},
			{Label: "GAD-7", Hidden: true, Note: "fewer than 5"}})),
	} {
		if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
			t.Errorf("%s: not well-formed: %v", name, err)
		}
		id := name[:1]
		if !strings.Contains(svg, `role="img" aria-labelledby="`+id+`-t `+id+`-d"`) ||
			!strings.Contains(svg, `<title id="`+id+`-t">Title &amp; more</title>`) || !strings.Contains(svg, `<desc id="`+id+`-d">Desc</desc>`) {
			t.Errorf("%s: not labelled: %s", name, svg)
		}
		if strings.Contains(svg, "<2026>") || strings.Contains(svg, " style=") {
			t.Errorf("%s: unescaped text or inline style: %s", name, svg)
		}
		if !strings.Contains(svg, "fewer than 5") {
			t.Errorf("%s: the suppressed figure is not explained", name)
		}
		if n := strings.Count(svg, "<rect"); (name == "stacks" && n != 2) || (name != "stacks" && n != 1) {
			t.Errorf("%s: %d marks", name, n)
		}
	}
}
