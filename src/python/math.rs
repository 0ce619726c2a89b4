//! `math` for the lab (the VM carries no standard library): the functions asyncio programs
//! reach for, on Rust's `f64`.

#[rustpython_vm::pymodule(name = "math")]
#[allow(non_upper_case_globals)]
pub(crate) mod python_math {
    use rustpython_vm::builtins::PyIntRef;
    use rustpython_vm::function::{ArgIterable, OptionalArg};
    use rustpython_vm::{PyObjectRef, PyResult, VirtualMachine};

    #[pyattr]
    const pi: f64 = std::f64::consts::PI;
    #[pyattr]
    const e: f64 = std::f64::consts::E;
    #[pyattr]
    const tau: f64 = std::f64::consts::TAU;
    #[pyattr]
    const inf: f64 = f64::INFINITY;
    #[pyattr]
    const nan: f64 = f64::NAN;

    fn float(x: &PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(x.try_float(vm)?.to_f64())
    }

    fn domain(vm: &VirtualMachine) -> rustpython_vm::builtins::PyBaseExceptionRef {
        vm.new_value_error("math domain error")
    }

    fn integral(value: f64, vm: &VirtualMachine) -> PyResult {
        if value.is_nan() {
            return Err(vm.new_value_error("cannot convert float NaN to integer"));
        }
        if value.is_infinite() {
            return Err(vm.new_overflow_error("cannot convert float infinity to integer"));
        }
        vm.ctx
            .new_float(value)
            .as_object()
            .to_owned()
            .try_int(vm)
            .map(Into::into)
    }

    #[pyfunction]
    fn floor(x: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        if x.downcast_ref::<rustpython_vm::builtins::PyInt>().is_some() {
            return Ok(x);
        }
        integral(float(&x, vm)?.floor(), vm)
    }

    #[pyfunction]
    fn ceil(x: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        if x.downcast_ref::<rustpython_vm::builtins::PyInt>().is_some() {
            return Ok(x);
        }
        integral(float(&x, vm)?.ceil(), vm)
    }

    #[pyfunction]
    fn trunc(x: PyObjectRef, vm: &VirtualMachine) -> PyResult {
        if x.downcast_ref::<rustpython_vm::builtins::PyInt>().is_some() {
            return Ok(x);
        }
        integral(float(&x, vm)?.trunc(), vm)
    }

    #[pyfunction]
    fn sqrt(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        let x = float(&x, vm)?;
        if x < 0.0 {
            return Err(domain(vm));
        }
        Ok(x.sqrt())
    }

    #[pyfunction]
    fn exp(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&x, vm)?.exp())
    }

    #[pyfunction]
    fn log(x: PyObjectRef, base: OptionalArg<PyObjectRef>, vm: &VirtualMachine) -> PyResult<f64> {
        let x = float(&x, vm)?;
        if x <= 0.0 {
            return Err(domain(vm));
        }
        match base {
            OptionalArg::Present(b) => {
                let b = float(&b, vm)?;
                if b <= 0.0 || b == 1.0 {
                    return Err(domain(vm));
                }
                Ok(x.ln() / b.ln())
            }
            OptionalArg::Missing => Ok(x.ln()),
        }
    }

    #[pyfunction]
    fn log2(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        let x = float(&x, vm)?;
        if x <= 0.0 {
            return Err(domain(vm));
        }
        Ok(x.log2())
    }

    #[pyfunction]
    fn log10(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        let x = float(&x, vm)?;
        if x <= 0.0 {
            return Err(domain(vm));
        }
        Ok(x.log10())
    }

    #[pyfunction]
    fn pow(x: PyObjectRef, y: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&x, vm)?.powf(float(&y, vm)?))
    }

    #[pyfunction]
    fn fabs(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&x, vm)?.abs())
    }

    #[pyfunction]
    fn sin(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&x, vm)?.sin())
    }

    #[pyfunction]
    fn cos(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&x, vm)?.cos())
    }

    #[pyfunction]
    fn tan(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&x, vm)?.tan())
    }

    #[pyfunction]
    fn atan(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&x, vm)?.atan())
    }

    #[pyfunction]
    fn atan2(y: PyObjectRef, x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&y, vm)?.atan2(float(&x, vm)?))
    }

    #[pyfunction]
    fn hypot(x: PyObjectRef, y: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&x, vm)?.hypot(float(&y, vm)?))
    }

    #[pyfunction]
    fn isnan(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<bool> {
        Ok(float(&x, vm)?.is_nan())
    }

    #[pyfunction]
    fn isinf(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<bool> {
        Ok(float(&x, vm)?.is_infinite())
    }

    #[pyfunction]
    fn isfinite(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<bool> {
        Ok(float(&x, vm)?.is_finite())
    }

    #[pyfunction]
    fn isclose(
        a: PyObjectRef,
        b: PyObjectRef,
        args: rustpython_vm::function::KwArgs,
        vm: &VirtualMachine,
    ) -> PyResult<bool> {
        let (a, b) = (float(&a, vm)?, float(&b, vm)?);
        let mut rel = 1e-9;
        let mut abs = 0.0;
        for (name, value) in args {
            match name.as_str() {
                "rel_tol" => rel = float(&value, vm)?,
                "abs_tol" => abs = float(&value, vm)?,
                other => {
                    return Err(vm.new_type_error(format!("isclose() got an unexpected keyword argument '{other}'")))
                }
            }
        }
        if a == b {
            return Ok(true);
        }
        if a.is_infinite() || b.is_infinite() {
            return Ok(false);
        }
        let diff = (a - b).abs();
        Ok(diff <= (rel * b).abs() || diff <= (rel * a).abs() || diff <= abs)
    }

    #[pyfunction]
    fn gcd(a: PyIntRef, b: PyIntRef, vm: &VirtualMachine) -> PyResult {
        let (mut a, mut b) = (a.as_object().to_owned(), b.as_object().to_owned());
        while !vm.is_none(&b) && b.clone().try_to_bool(vm)? {
            let r = vm._mod(&a, &b)?;
            a = b;
            b = r;
        }
        vm._abs(&a)
    }

    #[pyfunction]
    fn fsum(iterable: ArgIterable, vm: &VirtualMachine) -> PyResult<f64> {
        // Neumaier's compensated sum.
        let (mut sum, mut compensation) = (0.0f64, 0.0f64);
        for x in iterable.iter(vm)? {
            let x = float(&x?, vm)?;
            let t = sum + x;
            if sum.abs() >= x.abs() {
                compensation += (sum - t) + x;
            } else {
                compensation += (x - t) + sum;
            }
            sum = t;
        }
        Ok(sum + compensation)
    }

    #[pyfunction]
    fn prod(iterable: ArgIterable, vm: &VirtualMachine) -> PyResult {
        let mut product: PyObjectRef = vm.ctx.new_int(1).into();
        for x in iterable.iter(vm)? {
            let x = x?;
            product = vm._mul(&product, &x)?;
        }
        Ok(product)
    }

    #[pyfunction]
    fn degrees(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&x, vm)?.to_degrees())
    }

    #[pyfunction]
    fn radians(x: PyObjectRef, vm: &VirtualMachine) -> PyResult<f64> {
        Ok(float(&x, vm)?.to_radians())
    }

    use rustpython_vm::AsObject;
}
