package app_test

import (
	"os"
	"testing"

	"github.com/rangkul/rangkul/internal/db/dbtest"
)

// TestMain removes the demo database template the tests copy from.
func TestMain(m *testing.M) {
	code := m.Run()
	dbtest.Cleanup()
	os.Exit(code)
}
