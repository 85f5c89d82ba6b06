package app

import (
	"context"
	"fmt"
	"time"

	"github.com/rangkul/rangkul/internal/auth"
	"github.com/rangkul/rangkul/internal/evaluation"
)

// loadDemoEvaluation writes the first organisation's report for its funder,
// covering the last six months of all its groups, as its coordinator would;
// the figures in it come from the demo's meetings, feedback and
// questionnaires whenever it is opened.
func (a *App) loadDemoEvaluation(ctx context.Context, org int64) error {
	u, grants, err := a.Auth.Lookup(ctx, "demo-coordinator")
	if err != nil {
		return err
	}
	cctx := auth.WithPrincipal(ctx, &auth.Principal{UserID: u.ID, Username: u.Username, Grants: grants})
	today := time.Now().In(a.Groups.Zone)
	from := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, a.Groups.Zone).AddDate(0, -5, 0)
	_, err = a.Evaluation.CreateReport(cctx, org, evaluation.ReportInput{
		Title: "Laporan dukungan sebaya untuk mitra pendanaan",
		From:  from.Format("2006-01-02"),
		To:    today.Format("2006-01-02"),
		Narrative: "Dalam enam bulan ini kelompok dukungan sebaya kami bertemu setiap minggu, sebagian tatap muka di Jakarta dan sebagian daring.\n" +
			"Dua fasilitator baru menyelesaikan pelatihan, sehingga kelompok Ruang Tenang bisa menerima anggota baru tanpa daftar tunggu.\n" +
			"Tantangan terbesar adalah menjaga kehadiran setelah bulan ketiga; kami mulai mengirim pengingat dan menyapa anggota yang lama tidak datang.\n" +
			"Periode berikutnya kami ingin membuka kelompok untuk pendamping (carer) dan memperkuat rujukan dari puskesmas.",
	})
	if err != nil {
		return fmt.Errorf("demo: evaluation report: %w", err)
	}
	return nil
}
