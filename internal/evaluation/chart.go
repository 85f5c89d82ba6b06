package evaluation

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Charts are SVG drawn on the server: role="img" with a <title> and <desc>
// named by aria-labelledby, every mark labelled with its value in text (so
// no meaning rests on colour), and the same numbers in a table beside. A
// suppressed figure draws no mark; its label says why.

// Bar is one bar of a chart.
type Bar struct {
	Label  string  // the category
	Value  float64 // drawn against the chart's Max
	Text   string  // the value as written beside the bar
	Hidden bool    // suppressed: no bar, Text says why
	Note   string  // an optional line under a horizontal bar
}

// Stack is one horizontal bar divided into shares.
type Stack struct {
	Label  string
	Shares []float64 // summing to 1, in the order of the chart's parts
	Note   string    // the shares in words, written under the bar
	Hidden bool
}

const (
	chartW   = 480
	inkFill  = "#1d2430"
	mutedInk = "#4a5565"
	gridLine = "#d5d9e0"
)

// partFills are the fills of a stack's parts: distinct in lightness as well
// as hue, and always named in the text under the bar.
var partFills = []string{"#1e6b3a", "#9aa5b1", "#a3201c", "#1f5f8b"}

func esc(s string) string { return template.HTMLEscapeString(s) }

func svgOpen(b *strings.Builder, id, title, desc string, h int) {
	fmt.Fprintf(b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" xmlns="http://www.w3.org/2000/svg">`, chartW, h, id, id)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(title), id, esc(desc))
}

// HBars draws horizontal bars against max, one row per category: the label
// on its own line (labels may be long), the bar under it with its value
// written after it, and an optional note below.
func HBars(id, title, desc string, bars []Bar, max float64) template.HTML {
	const barW, row = 360, 66
	h := len(bars)*row + 4
	var b strings.Builder
	svgOpen(&b, id, title, desc, h)
	for i, bar := range bars {
		y := i * row
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="14" fill="%s">%s</text>`, y+16, inkFill, esc(bar.Label))
		fmt.Fprintf(&b, `<line x1="0.5" y1="%d" x2="0.5" y2="%d" stroke="%s"/>`, y+22, y+46, mutedInk)
		x := 6
		if !bar.Hidden && max > 0 {
			w := int(math.Round(math.Max(0, math.Min(bar.Value/max, 1)) * barW))
			if w > 0 {
				fmt.Fprintf(&b, `<rect x="1" y="%d" width="%d" height="22" fill="#1f5f8b"/>`, y+23, w)
			}
			x = w + 7
		}
		style := ""
		if bar.Hidden {
			style = ` font-style="italic"`
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="14" fill="%s"%s>%s</text>`, x, y+39, inkFill, style, esc(bar.Text))
		if bar.Note != "" {
			fmt.Fprintf(&b, `<text x="0" y="%d" font-size="12" fill="%s">%s</text>`, y+60, mutedInk, esc(bar.Note))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Columns draws vertical bars (e.g. months), the value written above each.
func Columns(id, title, desc string, bars []Bar, max float64) template.HTML {
	const top, plot, bottom = 22, 150, 40
	h := top + plot + bottom
	var b strings.Builder
	svgOpen(&b, id, title, desc, h)
	n := len(bars)
	if n == 0 {
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	slot := float64(chartW) / float64(n)
	fs := 12
	if n > 12 {
		fs = 10
	}
	fmt.Fprintf(&b, `<line x1="0" y1="%d" x2="%d" y2="%d" stroke="%s"/>`, top+plot, chartW, top+plot, mutedInk)
	for i, bar := range bars {
		cx := slot*float64(i) + slot/2
		bh := 0
		if !bar.Hidden && max > 0 {
			bh = int(math.Round(math.Max(0, math.Min(bar.Value/max, 1)) * plot))
			if bh > 0 {
				fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="#1f5f8b"/>`, cx-slot*0.35, top+plot-bh, slot*0.7, bh)
			}
		}
		style := ""
		if bar.Hidden {
			style = ` font-style="italic"`
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="%d" text-anchor="middle" fill="%s"%s>%s</text>`, cx, top+plot-bh-5, fs, inkFill, style, esc(bar.Text))
		label, year, _ := strings.Cut(bar.Label, " ")
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="%d" text-anchor="middle" fill="%s">%s</text>`, cx, top+plot+16, fs, inkFill, esc(label))
		if year != "" {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="%d" text-anchor="middle" fill="%s">%s</text>`, cx, top+plot+32, fs, mutedInk, esc(year))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// Stacks draws one 100% bar per row, divided into shares: the label on its
// own line, the bar, and the shares written in words under it.
func Stacks(id, title, desc string, rows []Stack) template.HTML {
	const barW, row = 470, 66
	h := len(rows)*row + 4
	var b strings.Builder
	svgOpen(&b, id, title, desc, h)
	for i, r := range rows {
		y := i * row
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="14" fill="%s">%s</text>`, y+16, inkFill, esc(r.Label))
		if !r.Hidden {
			x := 1.0
			for j, s := range r.Shares {
				w := math.Max(0, s) * barW
				if w > 0 {
					fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="22" fill="%s" stroke="#fff"/>`, x, y+23, w, partFills[j%len(partFills)])
				}
				x += w
			}
		}
		style := ""
		if r.Hidden {
			style = ` font-style="italic"`
		}
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13" fill="%s"%s>%s</text>`, y+60, inkFill, style, esc(r.Note))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
