"""Run with python3 ops/testdata/fit_erfc.py; its coefficients are erfcPoly's in ops/gelu.go.

Fits P(t) in erfc(z) = t*exp(-z*z + P(t)), t = 1/(1 + z/2), z >= 0, by least squares on
Chebyshev nodes of t in [0, 1], and prints P's power-series coefficients (lowest first) and the
fit's worst relative error of erfc on a fine grid of z in [0, 12]."""
import math
import numpy as np

def log_erfcx(z):
    # ln(erfc(z) e^(z^2)); erfc underflows past z ~ 26, where the asymptotic series is exact to
    # far below float64's resolution.
    if z < 25:
        return math.log(math.erfc(z)) + z * z
    s, term = 1.0, 1.0
    for k in range(1, 8):
        term *= -(2 * k - 1) / (2 * z * z)
        s += term
    return math.log(s / (z * math.sqrt(math.pi)))

def target(t):
    if t == 0:
        return math.log(1 / (2 * math.sqrt(math.pi)))
    z = 2 / t - 2
    return log_erfcx(z) - math.log(t)

DEG = 9
n = 2000
nodes = 0.5 - 0.5 * np.cos(np.pi * (np.arange(n) + 0.5) / n)
vals = np.array([target(t) for t in nodes])
cheb = np.polynomial.chebyshev.Chebyshev.fit(nodes, vals, DEG, domain=[0, 1])
coef = cheb.convert(kind=np.polynomial.Polynomial, domain=[-1, 1], window=[-1, 1]).coef
worst = 0.0
for z in np.linspace(0, 12, 200001):
    t = 1 / (1 + z / 2)
    p = sum(c * t ** i for i, c in enumerate(coef))
    approx = t * math.exp(-z * z + p)
    exact = math.erfc(z)
    if exact > 0:
        worst = max(worst, abs(approx - exact) / exact)
for c in coef:
    print(repr(float(c)))
print("worst relative error on [0, 12]:", worst)
