package app_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rangkul/rangkul/internal/app"
	"github.com/rangkul/rangkul/internal/app/apptest"
	"github.com/rangkul/rangkul/internal/auth"
)

// actors are everyone the role-by-route test walks every route as.
var actors = []string{"stranger", "demo-member", "demo-facilitator", "demo-mentor", "demo-coordinator",
	"demo-professional", "demo-moderator", "demo-analyst", "org-admin", "demo-admin"}

// Expected statuses, by kind of route. A stranger is sent to sign in (303) on
// GET and refused (401) on POST; roles without the permission get 403.
type expect func(actor string) int

func all(status int) expect { return func(string) int { return status } }

func signedIn(get bool, ok int) expect {
	return func(a string) int {
		if a == "stranger" {
			return strangerStatus(get)
		}
		return ok
	}
}

func strangerStatus(get bool) int {
	if get {
		return http.StatusSeeOther
	}
	return http.StatusUnauthorized
}

// orgAdmins: network administrators and an organisation's administrators.
func orgAdmins(get bool, ok int) expect {
	return func(a string) int {
		switch a {
		case "stranger":
			return strangerStatus(get)
		case "org-admin", "demo-admin":
			return ok
		}
		return http.StatusForbidden
	}
}

// networkAdmins: network administrators only.
func networkAdmins(get bool, ok int) expect {
	return func(a string) int {
		switch a {
		case "stranger":
			return strangerStatus(get)
		case "demo-admin":
			return ok
		}
		return http.StatusForbidden
	}
}

// only returns ok for the named actors, 403 for other signed-in people, and
// the stranger's answer for strangers.
func only(get bool, ok int, who ...string) expect {
	return onlyElse(get, ok, http.StatusForbidden, who...)
}

func onlyElse(get bool, ok, other int, who ...string) expect {
	return func(a string) int {
		if a == "stranger" {
			return strangerStatus(get)
		}
		for _, w := range who {
			if a == w {
				return ok
			}
		}
		return other
	}
}

// In the demo network group 1 ("Ruang Tenang", Yayasan Rangkul Jiwa) has
// demo-facilitator as facilitator and demo-member as a member.
var (
	groupManagers    = []string{"demo-facilitator", "demo-coordinator", "org-admin", "demo-admin"}
	groupCreators    = []string{"demo-coordinator", "org-admin", "demo-admin"}
	groupMembers     = []string{"demo-member", "demo-facilitator"}
	groupMembersSeen = []string{"demo-member", "demo-facilitator", "demo-coordinator", "org-admin", "demo-admin"}
	// The safety staff of group 1: its facilitator, the organisation's safety
	// lead (moderator) and administrators; safety leads try the screener.
	safetyStaff = []string{"demo-facilitator", "demo-moderator", "org-admin", "demo-admin"}
	safetyLeads = []string{"demo-moderator", "org-admin", "demo-admin"}
	// Those who take the first organisation's training, or coordinate it.
	learners = []string{"demo-facilitator", "demo-mentor", "demo-coordinator", "org-admin", "demo-admin"}
)

// routeTable lists every route with what each actor gets when sending it with
// an empty form. "last" routes change state (sign out, delete) and run at the end.
var routeTable = map[string]struct {
	want expect
	last bool
}{
	"GET /{$}":                                             {want: all(200)},
	"GET /help":                                            {want: all(200)},
	"GET /healthz":                                         {want: all(200)},
	"GET /readyz":                                          {want: all(200)},
	"GET /metrics":                                         {want: all(200)},
	"GET /static/{hash}/{name}":                            {want: all(200)},
	"GET /login":                                           {want: func(a string) int { return map[bool]int{true: 200, false: 303}[a == "stranger"] }},
	"POST /login":                                          {want: all(422)},
	"GET /register":                                        {want: all(200)},
	"POST /register":                                       {want: all(422)},
	"GET /recover":                                         {want: all(200)},
	"POST /recover":                                        {want: all(422)},
	"POST /lang":                                           {want: all(400)},
	"GET /account":                                         {want: signedIn(true, 200)},
	"POST /account/email":                                  {want: signedIn(false, 303)},
	"GET /account/password":                                {want: signedIn(true, 200)},
	"POST /account/password":                               {want: signedIn(false, 422)},
	"POST /account/recovery-codes":                         {want: signedIn(false, 422)},
	"GET /admin":                                           {want: orgAdmins(true, 200)},
	"GET /admin/orgs":                                      {want: orgAdmins(true, 200)},
	"GET /admin/orgs/new":                                  {want: networkAdmins(true, 200)},
	"POST /admin/orgs":                                     {want: networkAdmins(false, 422)},
	"GET /admin/orgs/{id}":                                 {want: orgAdmins(true, 200)},
	"POST /admin/orgs/{id}":                                {want: networkAdmins(false, 422)},
	"POST /admin/orgs/{id}/grants":                         {want: orgAdmins(false, 422)},
	"GET /admin/people":                                    {want: orgAdmins(true, 200)},
	"GET /admin/people/{id}":                               {want: orgAdmins(true, 200)},
	"POST /admin/people/{id}/grants":                       {want: orgAdmins(false, 422)},
	"POST /admin/people/{id}/revoke":                       {want: orgAdmins(false, 422)},
	"POST /admin/people/{id}/site-admin":                   {want: networkAdmins(false, 303)},
	"GET /admin/people/{id}/disable":                       {want: networkAdmins(true, 200)},
	"POST /admin/people/{id}/disable":                      {want: networkAdmins(false, 303)},
	"GET /admin/audit":                                     {want: networkAdmins(true, 200)},
	"GET /admin/help":                                      {want: networkAdmins(true, 200)},
	"GET /admin/help/new":                                  {want: networkAdmins(true, 200)},
	"POST /admin/help":                                     {want: networkAdmins(false, 422)},
	"GET /admin/help/{id}":                                 {want: networkAdmins(true, 200)},
	"POST /admin/help/{id}":                                {want: networkAdmins(false, 422)},
	"GET /admin/help/{id}/delete":                          {want: networkAdmins(true, 200)},
	"POST /admin/help/{id}/delete":                         {want: networkAdmins(false, 303), last: true},
	"POST /logout":                                         {want: all(303), last: true},
	"GET /notices":                                         {want: signedIn(true, 200)},
	"GET /groups":                                          {want: all(200)},
	"GET /groups/mine":                                     {want: signedIn(true, 200)},
	"GET /groups/new":                                      {want: only(true, 200, groupCreators...)},
	"POST /groups":                                         {want: only(false, 422, groupCreators...)},
	"GET /groups/{id}":                                     {want: all(200)},
	"GET /groups/{id}/edit":                                {want: only(true, 200, groupManagers...)},
	"POST /groups/{id}/edit":                               {want: only(false, 422, groupManagers...)},
	"POST /groups/{id}/facilitators":                       {want: only(false, 422, groupCreators...)},
	"GET /groups/{id}/join":                                {want: signedIn(true, 200)},
	"POST /groups/{id}/join":                               {want: signedIn(false, 422)},
	"GET /groups/{id}/leave":                               {want: onlyElse(true, 200, 404, groupMembers...)},
	"POST /groups/{id}/leave":                              {want: onlyElse(false, 303, 404, groupMembers...), last: true},
	"GET /groups/{id}/members":                             {want: only(true, 200, groupMembersSeen...)},
	"GET /groups/{id}/requests":                            {want: only(true, 200, groupManagers...)},
	"POST /groups/{id}/requests/{member}":                  {want: only(false, 422, groupManagers...)},
	"GET /groups/{id}/sessions/new":                        {want: only(true, 200, groupManagers...)},
	"POST /groups/{id}/sessions":                           {want: only(false, 422, groupManagers...)},
	"GET /groups/{id}/sessions/{sid}/{occ}":                {want: all(200)},
	"POST /groups/{id}/sessions/{sid}/{occ}/rsvp":          {want: only(false, 303, groupMembers...)},
	"POST /groups/{id}/sessions/{sid}/{occ}/change":        {want: only(false, 422, groupManagers...)},
	"GET /groups/{id}/calendar.ics":                        {want: all(200)},
	"GET /calendar/{token}":                                {want: all(404)},
	"POST /groups/calendar-link":                           {want: signedIn(false, 200)},
	"POST /groups/calendar-link/revoke":                    {want: signedIn(false, 303)},
	"POST /groups/{id}/sessions/{sid}/{occ}/guest":         {want: all(422)},
	"GET /guest/{code}":                                    {want: all(404)},
	"POST /groups/{id}/sessions/{sid}/{occ}/roll":          {want: only(false, 422, groupManagers...)},
	"POST /groups/{id}/sessions/{sid}/{occ}/checkin-code":  {want: only(false, 303, groupManagers...)},
	"POST /groups/{id}/sessions/{sid}/{occ}/checkin":       {want: only(false, 422, groupMembers...)},
	"GET /groups/{id}/sessions/{sid}/{occ}/notes":          {want: only(true, 200, groupManagers...)},
	"POST /groups/{id}/sessions/{sid}/{occ}/notes":         {want: only(false, 422, groupManagers...)},
	"POST /groups/{id}/sessions/{sid}/{occ}/feedback":      {want: only(false, 422, groupMembers...)},
	"GET /groups/{id}/attendance":                          {want: only(true, 200, groupManagers...)},
	"GET /groups/{id}/sessions/{sid}/{occ}/room":           {want: only(true, 200, groupMembersSeen...)},
	"GET /groups/{id}/sessions/{sid}/{occ}/room/events":    {want: only(true, 200, groupMembersSeen...)},
	"POST /groups/{id}/sessions/{sid}/{occ}/room/messages": {want: only(false, 422, groupMembersSeen...)},
	"POST /groups/{id}/sessions/{sid}/{occ}/room/mood":     {want: only(false, 422, groupMembers...)},
	"POST /groups/{id}/sessions/{sid}/{occ}/room/control":  {want: only(false, 422, groupManagers...)},
	"GET /groups/{id}/polls/new":                           {want: only(true, 200, groupManagers...)},
	"POST /groups/{id}/polls":                              {want: only(false, 422, groupManagers...)},
	"GET /groups/{id}/polls/{poll}":                        {want: only(true, 200, groupMembersSeen...)},
	"POST /groups/{id}/polls/{poll}/answer":                {want: only(false, 422, groupMembersSeen...)},
	"POST /groups/{id}/polls/{poll}/choose":                {want: only(false, 422, groupManagers...)},
	"GET /groups/{id}/board":                               {want: only(true, 200, groupMembersSeen...)},
	"POST /groups/{id}/board":                              {want: only(false, 422, groupMembersSeen...)},
	"GET /groups/{id}/board/{post}/edit":                   {want: only(true, 200, "demo-member")},
	"POST /groups/{id}/board/{post}/edit":                  {want: only(false, 422, "demo-member")},
	"GET /groups/{id}/board/{post}/delete":                 {want: only(true, 200, "demo-member")},
	"POST /groups/{id}/board/{post}/delete":                {want: only(false, 303, "demo-member"), last: true},
	"POST /groups/{id}/board/{post}/react":                 {want: only(false, 422, groupMembersSeen...)},
	"POST /guest/{code}/claim":                             {want: signedIn(false, 404)},
	// safety: the demo network has alert 1, reports 1 (decided) and 2, action 1 under appeal, case 1, all in group 1.
	"GET /safety":                           {want: only(true, 200, safetyStaff...)},
	"GET /safety/escalations/{id}":          {want: only(true, 200, safetyStaff...)},
	"POST /safety/escalations/{id}":         {want: only(false, 422, safetyStaff...)},
	"POST /safety/escalations/{id}/release": {want: only(false, 303, safetyStaff...)},
	"GET /safety/reports/{id}":              {want: only(true, 200, safetyStaff...)},
	"POST /safety/reports/{id}":             {want: only(false, 422, safetyStaff...)},
	"POST /safety/appeals/{id}":             {want: only(false, 422, safetyStaff...)},
	"GET /safety/cases/new":                 {want: only(true, 404, safetyStaff...)},
	"POST /safety/cases":                    {want: only(false, 404, safetyStaff...)},
	"GET /safety/cases/{id}":                {want: only(true, 200, safetyStaff...)},
	"POST /safety/cases/{id}":               {want: only(false, 422, safetyStaff...)},
	"GET /safety/screen":                    {want: only(true, 200, safetyLeads...)},
	"POST /safety/screen":                   {want: only(false, 422, safetyLeads...)},
	"GET /report":                           {want: signedIn(true, 404)},
	"POST /report":                          {want: signedIn(false, 404)},
	"GET /account/moderation":               {want: signedIn(true, 200)},
	"POST /account/moderation/{id}/appeal":  {want: signedIn(false, 404)},
	// training: module 1 and certification 1 (demo-facilitator's, current) are Yayasan's.
	"GET /training":                              {want: signedIn(true, 200)},
	"GET /training/modules/{id}":                 {want: only(true, 200, learners...)},
	"POST /training/modules/{id}":                {want: only(false, 422, learners...)},
	"GET /training/org/{org}":                    {want: only(true, 200, groupCreators...)},
	"POST /training/org/{org}/modules":           {want: only(false, 422, groupCreators...)},
	"POST /training/org/{org}/supervision":       {want: only(false, 422, groupCreators...)},
	"POST /training/org/{org}/settings":          {want: only(false, 422, groupCreators...)},
	"POST /training/certifications/{id}/signoff": {want: only(false, 303, groupCreators...)},
	// mentoring: the demo's pair 1 is demo-mentor's, active; {org} is Yayasan.
	"GET /mentoring":                         {want: signedIn(true, 200)},
	"POST /mentoring/profile":                {want: signedIn(false, 403)},
	"POST /mentoring/requests":               {want: signedIn(false, 422)},
	"GET /mentoring/coordinate/{org}":        {want: only(true, 200, groupCreators...)},
	"POST /mentoring/coordinate/{org}/match": {want: only(false, 303, groupCreators...)},
	"GET /mentoring/pairs/{id}":              {want: only(true, 200, "demo-mentor", "demo-coordinator", "org-admin", "demo-admin")},
	"POST /mentoring/pairs/{id}/accept":      {want: only(false, 422, "demo-mentor")},
	"POST /mentoring/pairs/{id}/checkins":    {want: only(false, 422, "demo-mentor")},
	"POST /mentoring/pairs/{id}/end":         {want: only(false, 422, "demo-mentor")},
	// library: resource 1 is Yayasan's, published, written by demo-coordinator;
	// steps that do not fit a published resource answer with a message (303).
	"GET /library":                 {want: all(200)},
	"GET /library/manage":          {want: only(true, 200, groupCreators...)},
	"GET /library/new":             {want: only(true, 200, groupCreators...)},
	"POST /library/new":            {want: only(false, 422, groupCreators...)},
	"GET /library/{id}":            {want: all(200)},
	"GET /library/{id}/edit":       {want: only(true, 200, groupCreators...)},
	"POST /library/{id}/edit":      {want: only(false, 303, groupCreators...)},
	"POST /library/{id}/submit":    {want: only(false, 303, groupCreators...)},
	"POST /library/{id}/withdraw":  {want: only(false, 303, groupCreators...)},
	"POST /library/{id}/approve":   {want: only(false, 303, groupCreators...)},
	"POST /library/{id}/return":    {want: only(false, 303, groupCreators...)},
	"GET /library/{id}/unpublish":  {want: only(true, 200, groupCreators...)},
	"POST /library/{id}/unpublish": {want: only(false, 303, groupCreators...), last: true},
	"GET /library/{id}/archive":    {want: only(true, 200, groupCreators...)},
	"POST /library/{id}/archive":   {want: only(false, 303, groupCreators...), last: true},
	"POST /library/{id}/restore":   {want: only(false, 303, groupCreators...)},

	// referrals: {id} is the demo's referral 1 (closed); see referralRoute.
	"GET /referrals":                {want: signedIn(true, 200)},
	"GET /referrals/new":            {want: only(true, 200, "demo-professional")},
	"POST /referrals":               {want: only(false, 422, "demo-professional")},
	"GET /referrals/claim":          {want: all(200)},
	"POST /referrals/claim":         {want: signedIn(false, 422)},
	"GET /referrals/report":         {want: only(true, 200, "demo-coordinator", "demo-analyst", "org-admin", "demo-admin")},
	"GET /referrals/{id}":           {want: referralRoute(true, 200, 200)},
	"POST /referrals/{id}/accept":   {want: referralRoute(false, 422, 403)},
	"POST /referrals/{id}/decline":  {want: referralRoute(false, 422, 403)},
	"POST /referrals/{id}/code":     {want: referralRoute(false, 422, 422)},
	"POST /referrals/{id}/attended": {want: referralRoute(false, 422, 403)},
	"POST /referrals/{id}/close":    {want: referralRoute(false, 422, 422)},

	// privacy: {purpose} is research; an empty erase form never erases.
	"GET /account/privacy":             {want: signedIn(true, 200)},
	"POST /account/privacy/{purpose}":  {want: signedIn(false, 400)},
	"GET /account/data":                {want: signedIn(true, 200)},
	"GET /account/data.json":           {want: signedIn(true, 200)},
	"GET /account/erase":               {want: signedIn(true, 200)},
	"POST /account/erase":              {want: signedIn(false, 422)},
	"GET /admin/people/{id}/data":      {want: networkAdmins(true, 200)},
	"GET /admin/people/{id}/data.json": {want: networkAdmins(true, 200)},
	"GET /admin/people/{id}/erase":     {want: networkAdmins(true, 200)},
	"POST /admin/people/{id}/erase":    {want: networkAdmins(false, 422)},
	// evaluation: demo-facilitator sees group 1's dashboard; report 1 is
	// Yayasan's (the demo's), read by its coordinators and administrators and
	// by analysts; an empty export form names no format.
	"GET /evaluation":                      {want: only(true, 200, "demo-facilitator", "demo-coordinator", "demo-analyst", "org-admin", "demo-admin")},
	"POST /evaluation/exports":             {want: only(false, 303, "demo-coordinator", "demo-analyst", "org-admin", "demo-admin")},
	"GET /evaluation/exports/{id}":         {want: signedIn(true, 404)},
	"GET /evaluation/exports/{id}/file":    {want: signedIn(true, 404)},
	"GET /evaluation/reports":              {want: only(true, 200, "demo-coordinator", "demo-analyst", "org-admin", "demo-admin")},
	"GET /evaluation/reports/new":          {want: only(true, 200, groupCreators...)},
	"POST /evaluation/reports":             {want: only(false, 422, groupCreators...)},
	"GET /evaluation/reports/{id}":         {want: only(true, 200, "demo-coordinator", "demo-analyst", "org-admin", "demo-admin")},
	"GET /evaluation/reports/{id}/edit":    {want: only(true, 200, groupCreators...)},
	"POST /evaluation/reports/{id}":        {want: only(false, 422, groupCreators...)},
	"GET /evaluation/reports/{id}/delete":  {want: only(true, 200, groupCreators...)},
	"POST /evaluation/reports/{id}/delete": {want: only(false, 303, groupCreators...), last: true},
	// hsds: the public HSDS API; {id} is left as written, an unknown id (404).
	"GET /hsds/{$}":                       {want: all(200)},
	"GET /hsds/openapi.json":              {want: all(200)},
	"GET /hsds/services":                  {want: all(200)},
	"GET /hsds/services/{id}":             {want: all(404)},
	"GET /hsds/organizations":             {want: all(200)},
	"GET /hsds/organizations/{id}":        {want: all(404)},
	"GET /hsds/taxonomies":                {want: all(200)},
	"GET /hsds/taxonomies/{id}":           {want: all(404)},
	"GET /hsds/taxonomy_terms":            {want: all(200)},
	"GET /hsds/taxonomy_terms/{id}":       {want: all(404)},
	"GET /hsds/service_at_locations":      {want: all(200)},
	"GET /hsds/service_at_locations/{id}": {want: all(404)},

	// directory: {id} is the demo's "Ruang Konseling Pelita (contoh)" (still
	// shown once deactivated), except for delete, which removes the demo's
	// "Dukungan Keluarga Caruban (contoh)"; {report} is the demo's open
	// problem report 1; empty forms are refused.
	"GET /services":                           {want: all(200)},
	"GET /services/{id}":                      {want: all(200)},
	"GET /services/{id}/report":               {want: all(200)},
	"POST /services/{id}/report":              {want: all(422)},
	"GET /services/manage":                    {want: only(true, 200, groupCreators...)},
	"GET /services/manage/new":                {want: only(true, 200, groupCreators...)},
	"POST /services/manage/new":               {want: only(false, 422, groupCreators...)},
	"GET /services/manage/problems":           {want: only(true, 200, groupCreators...)},
	"POST /services/manage/problems/{report}": {want: only(false, 422, groupCreators...)},
	"GET /services/{id}/edit":                 {want: only(true, 200, groupCreators...)},
	"POST /services/{id}/edit":                {want: only(false, 422, groupCreators...)},
	"POST /services/{id}/verify":              {want: only(false, 303, groupCreators...)},
	"GET /services/{id}/deactivate":           {want: only(true, 200, groupCreators...)},
	"POST /services/{id}/deactivate":          {want: only(false, 303, groupCreators...)},
	"GET /services/{id}/delete":               {want: only(true, 200, groupCreators...)},
	"POST /services/{id}/delete":              {want: only(false, 303, groupCreators...)},

	// measure: {due} is demo-member's open PHQ-9 follow-up; survey 1 (with its
	// question 1, and question 4 for deletion, which runs before moves), plan 1
	// (step 1, its PHQ-9 baseline, which follow-ups need) and round 1 are
	// Yayasan's. Empty forms are refused.
	"GET /outcomes":                                               {want: signedIn(true, 200)},
	"GET /outcomes/due/{due}":                                     {want: onlyElse(true, 200, 404, "demo-member")},
	"POST /outcomes/due/{due}":                                    {want: onlyElse(false, 422, 404, "demo-member")},
	"GET /outcomes/history/{instrument}":                          {want: signedIn(true, 200)},
	"GET /outcomes/profile":                                       {want: signedIn(true, 200)},
	"POST /outcomes/profile":                                      {want: signedIn(false, 303)},
	"GET /outcomes/profile/delete":                                {want: signedIn(true, 200)},
	"POST /outcomes/profile/delete":                               {want: signedIn(false, 303)},
	"GET /outcomes/instruments":                                   {want: only(true, 200, measureStaff...)},
	"GET /outcomes/instruments/{instrument}":                      {want: only(true, 200, measureStaff...)},
	"GET /outcomes/org/{org}":                                     {want: only(true, 200, groupCreators...)},
	"POST /outcomes/org/{org}/surveys":                            {want: only(false, 422, groupCreators...)},
	"POST /outcomes/org/{org}/plans":                              {want: only(false, 422, groupCreators...)},
	"POST /outcomes/org/{org}/rounds":                             {want: only(false, 422, groupCreators...)},
	"GET /outcomes/surveys/{survey}":                              {want: only(true, 200, groupCreators...)},
	"POST /outcomes/surveys/{survey}":                             {want: only(false, 422, groupCreators...)},
	"POST /outcomes/surveys/{survey}/archive":                     {want: only(false, 400, groupCreators...)},
	"POST /outcomes/surveys/{survey}/questions":                   {want: only(false, 422, groupCreators...)},
	"POST /outcomes/surveys/{survey}/questions/{question}/move":   {want: only(false, 400, groupCreators...)},
	"GET /outcomes/surveys/{survey}/questions/{question}/delete":  {want: only(true, 200, groupCreators...)},
	"POST /outcomes/surveys/{survey}/questions/{question}/delete": {want: only(false, 303, groupCreators...)},
	"GET /outcomes/plans/{plan}":                                  {want: only(true, 200, groupCreators...)},
	"POST /outcomes/plans/{plan}":                                 {want: only(false, 422, groupCreators...)},
	"POST /outcomes/plans/{plan}/steps":                           {want: only(false, 422, groupCreators...)},
	"GET /outcomes/plans/{plan}/steps/{step}/delete":              {want: only(true, 200, groupCreators...)},
	"POST /outcomes/plans/{plan}/steps/{step}/delete":             {want: only(false, 422, groupCreators...)},
	"POST /outcomes/rounds/{round}/close":                         {want: only(false, 303, groupCreators...)},
}

// measureStaff read the questionnaire library: those who coordinate,
// facilitate or evaluate groups.
var measureStaff = []string{"demo-facilitator", "demo-coordinator", "demo-analyst", "org-admin", "demo-admin"}

// TestEveryRouteForEveryRole walks the whole route table as a stranger and as
// each role, and fails if a route is missing from the table above.
func TestEveryRouteForEveryRole(t *testing.T) {
	for _, actor := range actors {
		t.Run(actor, func(t *testing.T) {
			env := apptest.New(t)
			ctx := auth.System(context.Background())
			yayasan, err := env.App.Auth.OrgBySlug(ctx, "yayasan-rangkul-jiwa")
			if err != nil {
				t.Fatal(err)
			}
			member, err := env.App.Auth.PersonByName(ctx, "demo-member")
			if err != nil {
				t.Fatal(err)
			}
			c := env.Stranger()
			switch actor {
			case "stranger":
			case "org-admin":
				u, _, err := env.App.Auth.Register(ctx, auth.Registration{Username: "org-admin", Password: "org-admin-password"})
				if err != nil {
					t.Fatal(err)
				}
				if err := env.App.Auth.GrantRole(ctx, u.ID, yayasan.ID, auth.RoleAdmin); err != nil {
					t.Fatal(err)
				}
				c = env.As("org-admin", "org-admin-password")
			default:
				c = env.AsDemo(actor)
			}
			up, err := env.App.Groups.Upcoming(ctx, 1, 14*24*time.Hour)
			if err != nil || len(up) < 2 {
				t.Fatalf("demo group 1 has no meetings: %v", err)
			}
			// The second meeting: demo-member already comes to the first.
			occ := strconv.FormatInt(up[1].Session.ID, 10) + "/" + up[1].Key()
			due := demoDue(t, env, "demo-member", "phq9")
			css := env.App.Router.Routes()
			var first, last []string
			for _, r := range css {
				row, ok := routeTable[r.Pattern]
				if !ok {
					t.Errorf("route %q has no row in routeTable: add what each role should get", r.Pattern)
					continue
				}
				if row.last {
					last = append(last, r.Pattern)
				} else {
					first = append(first, r.Pattern)
				}
			}
			for _, pattern := range append(first, last...) {
				method, path, _ := strings.Cut(pattern, " ")
				path = strings.TrimSuffix(path, "{$}")
				path = strings.NewReplacer(
					"/static/{hash}/{name}", assetPath(env),
					"/admin/orgs/{id}", "/admin/orgs/"+strconv.FormatInt(yayasan.ID, 10),
					"/admin/people/{id}", "/admin/people/"+strconv.FormatInt(member.User.ID, 10),
					"/admin/help/{id}", "/admin/help/1",
					"/groups/{id}", "/groups/1",
					"{member}", "1",
					"{sid}/{occ}", occ,
					"{token}", "not-a-real-calendar-token.ics",
					"{code}", "abcde-fghjk",
					"{post}", "1",
					"{poll}", "1",
					"/safety/escalations/{id}", "/safety/escalations/1",
					"/safety/reports/{id}", "/safety/reports/1",
					"/safety/appeals/{id}", "/safety/appeals/1",
					"/safety/cases/{id}", "/safety/cases/1",
					"/account/moderation/{id}", "/account/moderation/1",
					"{purpose}", "research",
					"/mentoring/pairs/{id}", "/mentoring/pairs/1",
					"/training/modules/{id}", "/training/modules/1",
					"/training/certifications/{id}", "/training/certifications/1",
					"/referrals/{id}", "/referrals/1",
					"/library/{id}", "/library/1",
					"{org}", strconv.FormatInt(yayasan.ID, 10),
					"/evaluation/reports/{id}", "/evaluation/reports/1",
					"/hsds/services/{id}", "/hsds/services/{id}",
					"/services/{id}/delete", "/services/"+app.DemoServiceID("caruban")+"/delete",
					"/services/{id}", "/services/"+app.DemoServiceID("pelita"),
					"{report}", "1",
					"/questions/{question}/delete", "/questions/4/delete",
					"{due}", due,
					"{instrument}", "phq9",
					"{survey}", "1",
					"{question}", "1",
					"{plan}", "1",
					"{step}", "1",
					"{round}", "1",
				).Replace(path)
				var res apptest.Response
				if strings.HasSuffix(path, "/events") {
					res.StatusCode = c.Status(path) // a stream: read the status only
				} else if method == http.MethodGet {
					res = c.Get(path)
				} else {
					res = c.Post(path, url.Values{})
				}
				if want := routeTable[pattern].want(actor); res.StatusCode != want {
					t.Errorf("%s %s as %s: status %d, want %d", method, path, actor, res.StatusCode, want)
				}
			}
		})
	}
}

func assetPath(env *apptest.Env) string {
	res := env.Stranger().Get("/")
	i := strings.Index(res.Body, "/static/")
	j := strings.Index(res.Body[i:], `"`)
	return res.Body[i : i+j]
}
