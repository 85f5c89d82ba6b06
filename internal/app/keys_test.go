package app_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/help"
	"github.com/rangkul/rangkul/internal/i18n"
)

// keyInGo finds translation keys passed from Go code: field errors, flash
// messages and navigation labels.
var keyInGo = regexp.MustCompile(`(?:valid\.Field\([^,]+,\s*|Fail\(valid\.Field\([^,]+,\s*|SetFlash\([^,]+,[^,]+,\s*|Done\([^,]+,[^,]+,\s*|Key:\s*)"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)

// TestGoCodeUsesOnlyKnownKeys fails when Go code names a translation key that
// a catalogue lacks, and when a key built at run time (role, kind, region) has
// no translation.
func TestGoCodeUsesOnlyKnownKeys(t *testing.T) {
	b, err := i18n.Load("id")
	if err != nil {
		t.Fatal(err)
	}
	var used []string
	root := filepath.Join("..", "..")
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range keyInGo.FindAllStringSubmatch(string(src), -1) {
			used = append(used, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) < 20 {
		t.Fatalf("found only %d keys in Go code: the pattern has drifted from the code", len(used))
	}
	for _, r := range auth.Roles {
		used = append(used, "role."+string(r))
	}
	for _, k := range auth.OrgKinds {
		used = append(used, "org_kind."+k)
	}
	for _, r := range help.Regions {
		used = append(used, "help.region."+r)
	}
	for _, list := range []struct {
		prefix string
		values []string
	}{{"topic.", groups.Topics}, {"language.", groups.Languages}, {"mode.", groups.Modes},
		{"groups.role.", []string{groups.RoleMember, groups.RoleFacilitator}}} {
		for _, v := range list.values {
			used = append(used, list.prefix+v)
		}
	}
	for _, k := range used {
		for _, l := range b.Langs() {
			if !b.Has(l.Code, k) {
				t.Errorf("key %q is used but missing in %s", k, l.Code)
			}
		}
	}
}

// TestEveryPageInBothLanguages renders every page an administrator can open, in
// each language, and fails on an error or an unfilled {placeholder}.
func TestEveryPageInBothLanguages(t *testing.T) {
	env := apptest.New(t)
	ctx := auth.System(context.Background())
	yayasan, _ := env.App.Auth.OrgBySlug(ctx, "yayasan-rangkul-jiwa")
	member, _ := env.App.Auth.PersonByName(ctx, "demo-member")
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	up, err := env.App.Groups.Upcoming(ctx, 1, 14*24*time.Hour)
	if err != nil || len(up) == 0 {
		t.Fatalf("demo group 1 has no meetings: %v", err)
	}
	occ := strconv.FormatInt(up[0].Session.ID, 10) + "/" + up[0].Key()
	for _, lang := range []string{"id", "en"} {
		c := env.AsDemo("demo-admin")
		c.Lang = lang
		stranger := env.Stranger()
		stranger.Lang = lang
		memberClient := env.AsDemo("demo-member") // for pages only a group's members open
		memberClient.Lang = lang
		professional := env.AsDemo("demo-professional") // for the referral form, professionals only
		professional.Lang = lang
		for _, r := range env.App.Router.Routes() {
			if r.Method != "GET" || strings.HasPrefix(r.Path, "/static/") {
				continue
			}
			path := strings.NewReplacer("{$}", "",
				"/admin/orgs/{id}", "/admin/orgs/"+strconv.FormatInt(yayasan.ID, 10),
				"/admin/people/{id}", "/admin/people/"+strconv.FormatInt(member.User.ID, 10),
				"/admin/help/{id}", "/admin/help/1", "/groups/{id}", "/groups/1", "{sid}/{occ}", occ, "{post}", "1", "{poll}", "1",
				"/safety/escalations/{id}", "/safety/escalations/1", "/safety/reports/{id}", "/safety/reports/1",
				"/safety/cases/{id}", "/safety/cases/1", "/safety/cases/new", "/safety/cases/new?group=1",
				"/mentoring/pairs/{id}", "/mentoring/pairs/1", "/training/modules/{id}", "/training/modules/1", "/library/{id}", "/library/1", "/referrals/{id}", "/referrals/1", "{org}", strconv.FormatInt(yayasan.ID, 10),
				"/services/{id}", "/services/"+app.DemoServiceID("pelita"),
				"{due}", demoDue(t, env, "demo-member", "phq9"), "{instrument}", "phq9", "{survey}", "1", "{question}", "1",
				"{plan}", "1", "{step}", "1", "{round}", "1", "/evaluation/reports/{id}", "/evaluation/reports/1").Replace(r.Path)
			if path == "/report" {
				path = "/report?kind=member&id=1"
			}
			if strings.Contains(path, "{token}") || strings.Contains(path, "{code}") {
				continue // a private feed needs a real token: see TestCalendarFeeds
			}
			if strings.HasSuffix(path, "/events") {
				continue // a stream, not a page
			}
			if strings.HasPrefix(path, "/hsds/") {
				continue // the HSDS API answers JSON, not a translated page: see internal/app/hsds_test.go
			}
			if strings.HasPrefix(path, "/evaluation/exports/") {
				continue // an export's run: see TestEvaluationExportsFromTheWeb, in both languages
			}
			res := c.Get(path)
			if res.StatusCode == 303 { // pages for strangers only, such as /login
				res = stranger.Get(path)
			}
			if (res.StatusCode == 404 && strings.HasSuffix(path, "/leave")) || (res.StatusCode == 403 && strings.Contains(path, "/board/")) {
				res = memberClient.Get(path)
			}
			if res.StatusCode == 404 && strings.HasPrefix(path, "/outcomes/due/") { // a member's own questionnaire
				res = memberClient.Get(path)
			}
			if res.StatusCode == 403 && path == "/referrals/new" {
				res = professional.Get(path)
			}
			if res.StatusCode != 200 {
				t.Errorf("%s in %s: status %d", path, lang, res.StatusCode)
				continue
			}
			if strings.Contains(res.Header.Get("Content-Type"), "text/html") {
				if !strings.Contains(res.Body, `<html lang="`+lang+`">`) {
					t.Errorf("%s: not in %s", path, lang)
				}
				if m := placeholder.FindString(res.Body); m != "" {
					t.Errorf("%s in %s: unfilled %s", path, lang, m)
				}
			}
		}
	}
}
