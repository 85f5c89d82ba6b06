package outcomes

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// TestPairedChangePHQ9 checks every figure against arithmetic done by hand.
//
//	pre   12  15   9  20  14   sum 70, mean 14
//	post   6  14  14   8  13   sum 55, mean 11
//	diff  -6  -1  +5 -12  -1   sum -15, mean -3
//	diff - mean: -3 2 8 -9 2; squares 9 4 64 81 4 = 162; var 162/4 = 40.5
//	SDChange = sqrt(40.5) = 6.3639610
//	t(0.975, 4) = 2.7764451; SE = 6.3639610/sqrt(5) = 2.8460499
//	half-width = 2.7764451 x 2.8460499 = 7.9019013; CI = -10.9019013 .. 4.9019013
//	Dz = -3/6.3639610 = -0.4714045
//	pre - 14: -2 1 -5 6 0; squares 4 1 25 36 0 = 66; var 16.5; SDPre = 4.0620192
//	r = 0.89: SE = 4.0620192 x sqrt(0.11) = 1.3472193; SDiff = sqrt(2) x SE = 1.9052559
//	RC = diff/SDiff: -3.149 -0.525 +2.624 -6.298 -0.525
//	|RC| > 1.96: -6 and -12 improved (lower is better), +5 deteriorated, two unchanged
//	clinical (>= 10) at baseline: 12 15 20 14 = 4 (not 9)
//	recovered: 12->6 and 20->8 (15->14 and 14->13 stay >= 10) = 2
func TestPairedChangePHQ9(t *testing.T) {
	phq, _ := Lookup("phq9")
	c := PairedChange(phq, []Pair{{12, 6}, {15, 14}, {9, 14}, {20, 8}, {14, 13}})
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"MeanPre", c.MeanPre, 14}, {"MeanPost", c.MeanPost, 11}, {"MeanChange", c.MeanChange, -3},
		{"SDChange", c.SDChange, 6.3639610}, {"CILow", c.CILow, -10.9019013}, {"CIHigh", c.CIHigh, 4.9019013},
		{"Dz", c.Dz, -0.4714045}, {"SDPre", c.SDPre, 4.0620192}, {"SDiff", c.SDiff, 1.9052559},
	} {
		if !near(f.got, f.want, 5e-7) {
			t.Errorf("%s = %.7f, want %.7f", f.name, f.got, f.want)
		}
	}
	if c.N != 5 || c.Improved != 2 || c.Unchanged != 2 || c.Deteriorated != 1 || c.Method != MethodRCI {
		t.Errorf("classification %+v", c)
	}
	if c.ClinicalAtBaseline != 4 || c.Recovered != 2 {
		t.Errorf("clinical %d recovered %d", c.ClinicalAtBaseline, c.Recovered)
	}
}

// TestPairedChangeDirection: the same changes count the other way round when
// higher is better (WHO-5). The WHO-5 has no reliability coefficient in the
// library, so the RCI path is tested on a copy given r = 0.5 (a test value,
// chosen because then SDiff = sqrt(2) x SDPre x sqrt(0.5) = SDPre).
//
//	pre   16  36  56  76  56   mean 48; pre - 48: -32 -12 8 28 8
//	      squares 1024 144 64 784 64 = 2080; var 520; SDPre = 22.8035085 = SDiff
//	post  64  40   8  96 100   mean 61.6
//	diff +48  +4 -48 +20 +44   mean 13.6; 1.96 x 22.8035085 = 44.6948767
//	reliable: +48 and -48 (+44 is just short); WHO-5: +48 improved, -48 deteriorated
//	diff - 13.6: 34.4 -9.6 -61.6 6.4 30.4; squares 1183.36 92.16 3794.56 40.96 924.16
//	      = 6035.2; var 1508.8; SDChange = 38.8432748; Dz = 13.6/38.8432748 = 0.3501250
//	clinical (<= 50) at baseline: 16, 36 = 2; recovered: 16->64 (36->40 stays) = 1
func TestPairedChangeDirection(t *testing.T) {
	who, _ := Lookup("who5")
	w := *who
	w.Reliability = 0.5
	pairs := []Pair{{16, 64}, {36, 40}, {56, 8}, {76, 96}, {56, 100}}
	c := PairedChange(&w, pairs)
	if !near(c.SDPre, 22.8035085, 5e-7) || !near(c.SDiff, c.SDPre, 1e-9) || !near(c.MeanPost, 61.6, 1e-9) ||
		!near(c.SDChange, 38.8432748, 5e-7) || !near(c.Dz, 0.3501250, 5e-7) {
		t.Errorf("figures %+v", c)
	}
	if c.Improved != 1 || c.Deteriorated != 1 || c.Unchanged != 3 || c.ClinicalAtBaseline != 2 || c.Recovered != 1 {
		t.Errorf("WHO-5 classification %+v", c)
	}
	w.HigherIsBetter = false // the same numbers on a lower-is-better scale
	c = PairedChange(&w, pairs)
	if c.Improved != 1 || c.Deteriorated != 1 || c.Unchanged != 3 {
		t.Errorf("reversed %+v", c)
	}
}

// TestPairedChangeWHO5MinChange: without a reliability coefficient the WHO-5
// classifies change by the fact sheet's 10 percentage points.
//
//	pre   40  52  68  24  28   mean 42.4
//	post  60  48  52  32  56   mean 49.6
//	diff +20  -4 -16  +8 +28   mean 7.2
//	|diff| >= 10: +20 +28 improved, -16 deteriorated, -4 +8 unchanged
//	clinical (<= 50): 40 24 28 = 3; recovered: 40->60 28->56 (24->32 stays <= 50) = 2
func TestPairedChangeWHO5MinChange(t *testing.T) {
	who, _ := Lookup("who5")
	c := PairedChange(who, []Pair{{40, 60}, {52, 48}, {68, 52}, {24, 32}, {28, 56}})
	if c.Method != MethodMinChange || !math.IsNaN(c.SDiff) || !near(c.MeanChange, 7.2, 1e-9) {
		t.Errorf("%+v", c)
	}
	if c.Improved != 2 || c.Deteriorated != 1 || c.Unchanged != 2 || c.ClinicalAtBaseline != 3 || c.Recovered != 2 {
		t.Errorf("%+v", c)
	}
	// Exactly 10 points is a change; 8 is not.
	c = PairedChange(who, []Pair{{40, 50}, {40, 48}})
	if c.Improved != 1 || c.Unchanged != 1 {
		t.Errorf("10-point boundary %+v", c)
	}
}

func TestPairedChangeSmall(t *testing.T) {
	phq, _ := Lookup("phq9")
	c := PairedChange(phq, nil)
	if c.N != 0 || !math.IsNaN(c.MeanChange) || !math.IsNaN(c.CILow) || c.Improved+c.Unchanged+c.Deteriorated != 0 {
		t.Errorf("no pairs %+v", c)
	}
	c = PairedChange(phq, []Pair{{15, 5}})
	if c.MeanChange != -10 || c.MeanPre != 15 || !math.IsNaN(c.SDChange) || !math.IsNaN(c.CILow) || !math.IsNaN(c.Dz) ||
		!math.IsNaN(c.SDiff) || c.Method != "" || c.Improved+c.Unchanged+c.Deteriorated != 0 || c.Recovered != 1 {
		t.Errorf("one pair %+v", c)
	}
	who, _ := Lookup("who5")
	if c := PairedChange(who, []Pair{{20, 40}}); c.Method != MethodMinChange || c.Improved != 1 {
		t.Errorf("one WHO-5 pair %+v", c)
	}
	// Every change the same: the interval has no width and Dz is undefined.
	c = PairedChange(phq, []Pair{{10, 8}, {12, 10}, {20, 18}})
	if c.SDChange != 0 || c.CILow != -2 || c.CIHigh != -2 || !math.IsNaN(c.Dz) {
		t.Errorf("constant change %+v", c)
	}
	// The K10 has neither a reliability nor a minimal change: not classified.
	k10, _ := Lookup("k10")
	if c := PairedChange(k10, []Pair{{30, 15}, {25, 20}, {40, 38}}); c.Method != "" || c.Improved+c.Unchanged+c.Deteriorated != 0 {
		t.Errorf("K10 %+v", c)
	}
}

func TestTQuantile(t *testing.T) {
	// Two-sided 95% critical values from the t table.
	for _, c := range []struct {
		df   int
		want float64
		tol  float64
	}{
		{1, 12.706, 5e-4}, {2, 4.303, 5e-4}, {4, 2.776, 5e-4}, {10, 2.228, 5e-4},
		{30, 2.042, 5e-4}, {1000, 1.962, 5e-4}, {1000000, 1.960, 5e-4},
	} {
		if got := TQuantile(0.975, c.df); !near(got, c.want, c.tol) {
			t.Errorf("t(0.975, %d) = %.5f, want %.3f", c.df, got, c.want)
		}
		if got := TQuantile(0.025, c.df); !near(got, -c.want, c.tol) {
			t.Errorf("t(0.025, %d) = %.5f", c.df, got)
		}
	}
	// Closed forms: df 1 is the Cauchy distribution, t = tan(pi(p - 1/2));
	// df 2 has t = (2p - 1)/sqrt(2p(1 - p)).
	for _, p := range []float64{0.01, 0.1, 0.3, 0.6, 0.9, 0.995} {
		if got, want := TQuantile(p, 1), math.Tan(math.Pi*(p-0.5)); !near(got, want, 1e-8*math.Max(1, math.Abs(want))) {
			t.Errorf("df 1, p %v: %v want %v", p, got, want)
		}
		if got, want := TQuantile(p, 2), (2*p-1)/math.Sqrt(2*p*(1-p)); !near(got, want, 1e-8*math.Max(1, math.Abs(want))) {
			t.Errorf("df 2, p %v: %v want %v", p, got, want)
		}
	}
	if TQuantile(0.5, 7) != 0 || !math.IsNaN(TQuantile(0.975, 0)) || !math.IsNaN(TQuantile(1.5, 3)) ||
		!math.IsInf(TQuantile(1, 3), 1) || !math.IsInf(TQuantile(0, 3), -1) {
		t.Error("edge cases")
	}
}
