// Package markup turns the Markdown people write on boards into safe HTML: a
// small subset (paragraphs, emphasis, lists, quotes, links, code), raw HTML
// never passed through, and the result sanitised again before it is stored.
package markup

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// Renderer converts Markdown to sanitised HTML; it is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns a renderer with the board's subset.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Linkify, extension.Strikethrough),
		goldmark.WithRendererOptions(html.WithHardWraps()), // raw HTML stays escaped (no WithUnsafe)
	)
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "em", "strong", "del", "ul", "ol", "li", "blockquote", "code", "pre")
	p.AllowAttrs("href").OnElements("a")
	p.AllowStandardURLs()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	return &Renderer{md: md, policy: p}
}

// HTML renders text; the result may be written into a page as is.
func (r *Renderer) HTML(text string) (template.HTML, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(text), &buf); err != nil {
		return "", err
	}
	return template.HTML(r.policy.SanitizeBytes(buf.Bytes())), nil
}
