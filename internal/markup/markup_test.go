package markup

import (
	"strings"
	"testing"
)

func TestHTMLIsSafe(t *testing.T) {
	r := New()
	cases := []struct{ in, want, never string }{
		{"Halo **semua**", "<strong>semua</strong>", ""},
		{"- satu\n- dua", "<li>satu</li>", ""},
		{"<script>alert(1)</script>", "", "<script"},
		{"[klik](javascript:alert(1))", "", "javascript:"},
		{`<img src=x onerror=alert(1)>`, "", "onerror"},
		{"[situs](https://example.org)", `rel="nofollow noreferrer"`, ""},
		{"> kutipan", "<blockquote>", ""},
		{`<a href="https://x.org" style="color:red">x</a>`, "", "style="},
	}
	for _, c := range cases {
		got, err := r.HTML(c.in)
		if err != nil {
			t.Fatal(err)
		}
		if c.want != "" && !strings.Contains(string(got), c.want) {
			t.Errorf("HTML(%q) = %q, want %q in it", c.in, got, c.want)
		}
		if c.never != "" && strings.Contains(strings.ToLower(string(got)), c.never) {
			t.Errorf("HTML(%q) = %q contains %q", c.in, got, c.never)
		}
	}
}

func FuzzHTML(f *testing.F) {
	r := New()
	for _, s := range []string{"**a**", "<script>", "[x](javascript:y)", "<iframe src=x>", "`code`"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := r.HTML(s)
		if err != nil {
			return
		}
		low := strings.ToLower(string(got))
		for _, bad := range []string{"<script", "<iframe", "javascript:", " onerror=", " onclick=", "<style"} {
			if strings.Contains(low, bad) {
				t.Fatalf("HTML(%q) = %q contains %q", s, got, bad)
			}
		}
	})
}
