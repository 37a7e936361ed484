//! A bound command made ready for its module: the class found across the
//! modules (by name, ignoring case; the first module that has it), the keys
//! of `-InputObject` and of a `-Filter` that names every key, the
//! `-Property` and `-Arguments` values converted by each element's declared
//! type into the module's instances.
//!
//! The namespace rule: a class is found by name in whichever module declares
//! it, whatever the namespace; the namespace (`-Namespace`, else the one an
//! `-InputObject`'s type names give, else `root/cimv2`) is passed to the
//! provider and written on its outputs.

use std::sync::Arc;

use super::commands::{Bound, Literal, LiteralValue, Operation, Target, to_cim};
use super::messages::{SessionError, Value};
use crate::provider::instance::HeapInstance;
use crate::provider::module::Module;

/// The operation a pipeline's thread runs, with its instances.
pub(super) enum Job {
    /// EnumerateInstances.
    Enumerate {
        /// Only keys.
        keys_only: bool,
        /// The `-Filter`, as the WQL text the provider receives (and the
        /// context applies to what it posts).
        filter: Option<String>,
    },
    /// GetInstance.
    Get {
        /// The keys.
        instance: HeapInstance,
        /// `-KeyOnly`: the key names.
        keys: Option<Vec<String>>,
    },
    /// CreateInstance.
    Create {
        /// The new instance.
        instance: HeapInstance,
    },
    /// ModifyInstance.
    Modify {
        /// The keys and the properties to change.
        instance: HeapInstance,
    },
    /// DeleteInstance.
    Delete {
        /// The keys.
        instance: HeapInstance,
    },
    /// Invoke: a static method, or an instance's (`target`).
    Invoke {
        /// The method.
        method: String,
        /// The instance (its keys).
        target: Option<HeapInstance>,
        /// The in-parameters.
        parameters: HeapInstance,
    },
}

/// A command ready to run.
pub(super) struct Prepared {
    /// The module that has the class.
    pub module: Arc<Module>,
    /// The class, as the module spells it.
    pub class: String,
    /// The namespace.
    pub namespace: String,
    /// The operation.
    pub job: Job,
}

/// The module and class (as declared) of class `name`.
pub(super) fn find_class(modules: &[Arc<Module>], name: &str) -> Option<(Arc<Module>, String)> {
    modules.iter().find_map(|module| {
        module
            .class_names()
            .into_iter()
            .find(|n| n.eq_ignore_ascii_case(name))
            .map(|n| (Arc::clone(module), n))
    })
}

/// The key properties of `class`, by its declaration.
fn key_names(module: &Module, class: &str) -> Vec<String> {
    module
        .new_instance(class)
        .and_then(|i| module.read(&i, ""))
        .map(|ci| {
            ci.properties
                .iter()
                .filter(|p| p.key)
                .map(|p| p.name.to_string_lossy())
                .collect()
        })
        .unwrap_or_default()
}

struct Maker<'a> {
    module: &'a Module,
    command: &'static str,
    class: &'a str,
}

impl Maker<'_> {
    /// Sets `name` of `inst` from `value` (converted by its declared type);
    /// `parameter` names the cmdlet's parameter in errors.
    fn set(
        &self,
        inst: &HeapInstance,
        name: &str,
        value: &Value,
        parameter: &str,
        what: &str,
    ) -> Result<(), SessionError> {
        let Some((t, c)) = self.module.element_type(inst, name) else {
            let (code, kind) = if what == "parameter" {
                (4, "Invalid parameter")
            } else {
                (12, "No such property")
            };
            return Err(SessionError::cim(
                self.command,
                code,
                format!("{kind}: {} has no {what} {name}", self.class),
                name,
            ));
        };
        let transform = |m: String| {
            SessionError::parameter_binding(
                self.command,
                "ParameterArgumentTransformationError",
                parameter,
                m,
            )
        };
        let v = to_cim(value, t, c.as_deref(), name, self.module).map_err(transform)?;
        self.module
            .set(inst, name, v.as_ref())
            .map_err(|e| transform(format!("{what} {name}: {e}")))
    }

    fn new_instance(&self) -> Result<HeapInstance, SessionError> {
        self.module
            .new_instance(self.class)
            .map_err(|e| SessionError::cim(self.command, 5, e.to_string(), self.class))
    }

    /// An instance holding the keys of `target` (from its properties).
    fn keys_of(&self, target: &Target, keys: &[String]) -> Result<HeapInstance, SessionError> {
        let inst = self.new_instance()?;
        for k in keys {
            let Some((_, v)) = target
                .properties
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
            else {
                return Err(SessionError::parameter_binding(
                    self.command,
                    "ParameterArgumentValidationError",
                    "InputObject",
                    format!(
                        "Cannot validate argument on parameter 'InputObject': the instance of \
                         {} has no key property {k}.",
                        self.class
                    ),
                ));
            };
            self.set(&inst, k, v, "InputObject", "property")?;
        }
        Ok(inst)
    }
}

/// Finds `b`'s class and makes its instances.
pub(super) fn prepare(modules: &[Arc<Module>], b: &Bound) -> Result<Prepared, SessionError> {
    let Some((module, class)) = find_class(modules, &b.class) else {
        return Err(SessionError::cim(
            b.command,
            5,
            format!(
                "Invalid class: no module of this endpoint has class {} (namespace {})",
                b.class, b.namespace
            ),
            &b.class,
        ));
    };
    let mk = Maker {
        module: &module,
        command: b.command,
        class: &class,
    };
    let keys = || key_names(&module, &class);
    let job = match &b.operation {
        Operation::Enumerate {
            keys_only,
            filter: conditions,
        } => {
            let probe = mk.new_instance()?;
            for c in conditions {
                if module.element_type(&probe, &c.property).is_none() {
                    return Err(SessionError::cim(
                        b.command,
                        12,
                        format!(
                            "Invalid query: class {class} has no property {} (-Filter)",
                            c.property
                        ),
                        &c.property,
                    ));
                }
            }
            let keys = keys();
            // A GetInstance when the filter is exactly the keys, each with `=`.
            let is_key = |p: &str| keys.iter().any(|k| k.eq_ignore_ascii_case(p));
            let all_keys = !keys.is_empty()
                && keys.iter().all(|k| {
                    conditions
                        .iter()
                        .any(|c| c.property.eq_ignore_ascii_case(k) && c.value != Literal::Null)
                })
                && conditions.iter().all(|c| is_key(&c.property));
            if all_keys {
                let inst = mk.new_instance()?;
                for k in &keys {
                    let c = conditions
                        .iter()
                        .find(|c| c.property.eq_ignore_ascii_case(k))
                        .expect("checked");
                    mk.set(&inst, k, &c.value.value(), "Filter", "property")?;
                }
                Job::Get {
                    instance: inst,
                    keys: keys_only.then_some(keys),
                }
            } else {
                Job::Enumerate {
                    keys_only: *keys_only,
                    filter: (!conditions.is_empty()).then(|| super::filter::to_wql(conditions)),
                }
            }
        }
        Operation::Get { target, keys_only } => {
            let keys = keys();
            Job::Get {
                instance: mk.keys_of(target, &keys)?,
                keys: keys_only.then_some(keys),
            }
        }
        Operation::Create { properties } => {
            let inst = mk.new_instance()?;
            for (n, v) in properties {
                mk.set(&inst, n, v, "Property", "property")?;
            }
            Job::Create { instance: inst }
        }
        Operation::Modify { target, properties } => {
            let keys = keys();
            let inst = mk.keys_of(target, &keys)?;
            match properties {
                Some(props) => {
                    for (n, v) in props {
                        mk.set(&inst, n, v, "Property", "property")?;
                    }
                }
                // No -Property: the instance's own values (the declared,
                // non-key properties it holds).
                None => {
                    for name in module.element_names(&inst) {
                        if keys.iter().any(|k| k.eq_ignore_ascii_case(&name)) {
                            continue;
                        }
                        if let Some((_, v)) = target
                            .properties
                            .iter()
                            .find(|(n, v)| n.eq_ignore_ascii_case(&name) && *v != Value::Nil)
                        {
                            mk.set(&inst, &name, v, "InputObject", "property")?;
                        }
                    }
                }
            }
            Job::Modify { instance: inst }
        }
        Operation::Delete { target } => Job::Delete {
            instance: mk.keys_of(target, &keys())?,
        },
        Operation::Invoke {
            method,
            arguments,
            target,
        } => {
            let parameters = module.new_parameters(&class, method).map_err(|_| {
                SessionError::cim(
                    b.command,
                    17,
                    format!("Method not found: class {class} has no method {method}"),
                    method,
                )
            })?;
            let pm = Maker {
                module: &module,
                command: b.command,
                class: &format!("method {class}.{method}"),
            };
            for (name, value) in arguments {
                pm.set(&parameters, name, value, "Arguments", "parameter")?;
            }
            let target = match target {
                Some(t) => Some(mk.keys_of(t, &keys())?),
                None => None,
            };
            Job::Invoke {
                method: method.clone(),
                target,
                parameters,
            }
        }
    };
    Ok(Prepared {
        module: Arc::clone(&module),
        class,
        namespace: b.namespace.clone(),
        job,
    })
}
