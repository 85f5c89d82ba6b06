package app

import (
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/rangkul/rangkul/internal/evaluation"
	"github.com/rangkul/rangkul/internal/groups"
	"github.com/rangkul/rangkul/internal/web"
)

// wireEvaluation builds the dashboards, sponsor reports and research
// exports. Exports started from the web are written under DATA/exports
// (a directory under the system's temporary one when there is no data
// directory, as in tests); files left long enough ago by an earlier start
// are removed, since no run knows them.
func (a *App) wireEvaluation(rd *web.Renderer, rt *web.Router) error {
	dir := filepath.Join(a.Config.DataDir, "exports")
	if a.Config.DataDir == "" { // made on the first export only
		dir = filepath.Join(os.TempDir(), "rangkul-exports-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	}
	a.Evaluation = evaluation.NewService(a.DB, a.Audit, a.Secrets, dir)
	a.Evaluation.Zone = a.Groups.Zone
	a.Evaluation.Topics = groups.Topics
	a.Evaluation.PublicURL = a.Config.PublicURL
	a.Jobs.Handle(evaluation.JobKeep, a.Evaluation.Keep)
	a.Jobs.Every(evaluation.JobKeep, evaluation.KeepEvery)
	if err := a.Evaluation.ClearExports(); err != nil {
		return err
	}
	pages, err := evaluation.New(a.Evaluation, rd)
	if err != nil {
		return err
	}
	pages.Routes(rt)
	return nil
}
