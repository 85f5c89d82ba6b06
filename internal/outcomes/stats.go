package outcomes

import "math"

// Pair is one person's total at baseline (Pre) and at a follow-up (Post).
type Pair struct{ Pre, Post float64 }

// Change summarises paired change on an instrument. Change is Post - Pre.
// Values that cannot be computed are NaN (check with math.IsNaN before
// showing them): with fewer than two pairs the standard deviations, the
// confidence interval and Dz; Dz also when every change is the same.
type Change struct {
	N                                 int
	MeanPre, MeanPost                 float64
	MeanChange, SDChange              float64 // SDChange: sample standard deviation (N-1)
	CILow, CIHigh                     float64 // 95% confidence interval of MeanChange, Student t with N-1 df
	Dz                                float64 // MeanChange / SDChange (Cohen's d for paired data)
	SDPre, SDiff                      float64 // Jacobson-Truax: SE = SDPre*sqrt(1-r), SDiff = sqrt(2)*SE
	Improved, Unchanged, Deteriorated int     // by reliable change; all 0 when it cannot be classified
	ClinicalAtBaseline, Recovered     int     // Recovered: clinical at baseline, not clinical at follow-up
	Method                            string  // how change was classified: "rci", "min-change" or "" (not classified)
}

// Change classification methods (Change.Method).
const (
	MethodRCI       = "rci"        // Jacobson-Truax reliable change index, |RC| > 1.96
	MethodMinChange = "min-change" // |Post - Pre| >= the instrument's MinChange
)

// PairedChange computes the change between baseline and follow-up totals.
//
// Each pair is classified as improved, unchanged or deteriorated by the
// Jacobson-Truax reliable change index RC = (Post-Pre)/SDiff, reliable when
// |RC| > 1.96, where SDiff = sqrt(2)*SDPre*sqrt(1-r), SDPre is the sample
// standard deviation at baseline and r the instrument's Reliability.
// Improvement is a fall in the total, or a rise when HigherIsBetter. Without
// a Reliability (or with fewer than two pairs, or no spread at baseline) the
// instrument's MinChange is used instead when it has one; otherwise no pair
// is classified and Method is "".
func PairedChange(in *Instrument, pairs []Pair) Change {
	n := len(pairs)
	c := Change{N: n}
	nan := math.NaN()
	c.MeanPre, c.MeanPost, c.MeanChange = nan, nan, nan
	c.SDChange, c.CILow, c.CIHigh, c.Dz, c.SDPre, c.SDiff = nan, nan, nan, nan, nan, nan
	if n == 0 {
		return c
	}
	pre, post, diff := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, p := range pairs {
		pre[i], post[i], diff[i] = p.Pre, p.Post, p.Post-p.Pre
		if in.Clinical(p.Pre) {
			c.ClinicalAtBaseline++
			if !in.Clinical(p.Post) {
				c.Recovered++
			}
		}
	}
	c.MeanPre, c.MeanPost, c.MeanChange = mean(pre), mean(post), mean(diff)
	if n >= 2 {
		c.SDChange, c.SDPre = sd(diff, c.MeanChange), sd(pre, c.MeanPre)
		half := TQuantile(0.975, n-1) * c.SDChange / math.Sqrt(float64(n))
		c.CILow, c.CIHigh = c.MeanChange-half, c.MeanChange+half
		if c.SDChange > 0 {
			c.Dz = c.MeanChange / c.SDChange
		}
		if in.Reliability > 0 && in.Reliability < 1 && c.SDPre > 0 {
			c.SDiff = math.Sqrt2 * c.SDPre * math.Sqrt(1-in.Reliability)
		}
	}
	switch {
	case !math.IsNaN(c.SDiff):
		c.Method = MethodRCI
	case in.MinChange > 0:
		c.Method = MethodMinChange
	default:
		return c
	}
	for _, d := range diff {
		var reliable bool
		if c.Method == MethodRCI {
			reliable = math.Abs(d/c.SDiff) > 1.96
		} else {
			reliable = math.Abs(d) >= in.MinChange
		}
		better := d < 0
		if in.HigherIsBetter {
			better = d > 0
		}
		switch {
		case !reliable:
			c.Unchanged++
		case better:
			c.Improved++
		default:
			c.Deteriorated++
		}
	}
	return c
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// sd is the sample standard deviation (denominator n-1).
func sd(xs []float64, m float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(xs)-1))
}

// TQuantile is the inverse of Student's t distribution function with df
// degrees of freedom: the t with P(T <= t) = p. It is found by bisection on
// the distribution function, which is computed from the regularized
// incomplete beta function.
func TQuantile(p float64, df int) float64 {
	switch {
	case df < 1 || math.IsNaN(p) || p < 0 || p > 1:
		return math.NaN()
	case p == 0:
		return math.Inf(-1)
	case p == 1:
		return math.Inf(1)
	case p == 0.5:
		return 0
	case p < 0.5:
		return -TQuantile(1-p, df)
	}
	lo, hi := 0.0, 1.0
	for tCDF(hi, df) < p {
		lo, hi = hi, hi*2
		if math.IsInf(hi, 1) {
			return hi
		}
	}
	for i := 0; i < 200 && hi-lo > 1e-12*hi; i++ {
		mid := (lo + hi) / 2
		if tCDF(mid, df) < p {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// tCDF is P(T <= t) for Student's t with df degrees of freedom:
// for t >= 0, 1 - I_x(df/2, 1/2)/2 with x = df/(df+t^2).
func tCDF(t float64, df int) float64 {
	v := float64(df)
	tail := 0.5 * regIncBeta(v/(v+t*t), v/2, 0.5)
	if t < 0 {
		return tail
	}
	return 1 - tail
}

// regIncBeta is the regularized incomplete beta function I_x(a, b),
// evaluated by its continued fraction (modified Lentz's method), using the
// symmetry I_x(a,b) = 1 - I_{1-x}(b,a) where the fraction converges slowly.
func regIncBeta(x, a, b float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	if x > (a+1)/(a+b+2) {
		return 1 - regIncBeta(1-x, b, a)
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	return front * betaFraction(x, a, b) / a
}

// betaFraction evaluates the continued fraction
// 1/(1+ d1/(1+ d2/(1+ ...))) of the incomplete beta function, with
// d(2m+1) = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
// d(2m) = m(b-m)x / ((a+2m-1)(a+2m)).
func betaFraction(x, a, b float64) float64 {
	const tiny, eps = 1e-300, 1e-15
	guard := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	// Lentz: f = C*D products; start with the leading "1 + d1 x".
	c := 1.0
	d := 1 / guard(1-(a+b)*x/(a+1))
	f := d
	for m := 1; m <= 10000; m++ {
		mf := float64(m)
		// even step d(2m)
		num := mf * (b - mf) * x / ((a + 2*mf - 1) * (a + 2*mf))
		d = 1 / guard(1+num*d)
		c = guard(1 + num/c)
		f *= d * c
		// odd step d(2m+1)
		num = -(a + mf) * (a + b + mf) * x / ((a + 2*mf) * (a + 2*mf + 1))
		d = 1 / guard(1+num*d)
		c = guard(1 + num/c)
		delta := d * c
		f *= delta
		if math.Abs(delta-1) < eps {
			break
		}
	}
	return f
}
