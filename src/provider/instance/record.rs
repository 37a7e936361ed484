//! A record's elements: how many, element `i` (a class's field at its
//! declared offset, a dynamic instance's own cell), lookup by name ignoring
//! ASCII case, adding to a dynamic instance, the namespace and server name.

use std::ptr;

use super::value::{self, Owned, OwnedText, Units};
use super::{Element, Kind, NO_FIELD, Record};
use crate::host::MiError;
use crate::mi::{MI_Instance, MI_ParameterDecl, MI_PropertyDecl, MI_Type};

impl Record {
    /// How many elements the instance has.
    pub(crate) fn count(&self, inst: *const MI_Instance) -> u32 {
        match &self.kind {
            // SAFETY: a live instance of ours has a checked declaration.
            Kind::Class => unsafe { (*(*inst).classDecl).numProperties },
            // SAFETY: as above.
            Kind::Parameters(m) => unsafe { (**m).numParameters },
            Kind::Dynamic(d) => d.cells.len() as u32,
        }
    }

    /// Element `index`, or `None` past the end.
    pub(crate) fn element(&self, inst: *const MI_Instance, index: u32) -> Option<Element> {
        if index >= self.count(inst) {
            return None;
        }
        let i = index as usize;
        match &self.kind {
            Kind::Class | Kind::Parameters(_) => {
                // SAFETY: a checked declaration: `index` < its count, every
                // declaration non-NULL with its field inside the structure.
                unsafe {
                    let d = &*(*inst).classDecl;
                    let p = &**d.properties.cast::<*const MI_ParameterDecl>().add(i);
                    Some(Element {
                        name: p.name,
                        ty: p.r#type,
                        decl_flags: p.flags,
                        class_name: p.className,
                        field: if p.offset == NO_FIELD {
                            ptr::null_mut()
                        } else {
                            inst.cast::<u8>().cast_mut().add(p.offset as usize)
                        },
                    })
                }
            }
            Kind::Dynamic(d) => {
                let p = &d.props[i];
                Some(Element {
                    name: p.name,
                    ty: p.r#type,
                    decl_flags: p.flags,
                    class_name: ptr::null(),
                    field: d.cells[i].as_ptr().cast::<u8>().cast_mut(),
                })
            }
        }
    }

    /// The index of the element named `name` (ignoring ASCII case).
    pub(crate) fn find(&self, inst: *const MI_Instance, name: Units<'_>) -> Option<u32> {
        (0..self.count(inst)).find(|&i| {
            self.element(inst, i).is_some_and(|e| {
                // SAFETY: declared names are NUL-terminated in the instance's type.
                let n = unsafe { value::units(e.name, self.char_type) };
                n.eq_name(name)
            })
        })
    }

    /// The index of the element named `name` given as Rust text.
    pub(crate) fn find_str(&self, inst: *const MI_Instance, name: &str) -> Option<u32> {
        (0..self.count(inst)).find(|&i| {
            self.element(inst, i).is_some_and(|e| {
                // SAFETY: as in `find`.
                let n = unsafe { value::units(e.name, self.char_type) };
                n.eq_str(name)
            })
        })
    }

    /// Checks that an element named `name` of type `ty` can be added: a
    /// dynamic instance, a known type, a non-empty name of code points that
    /// it does not have yet. Its UTF-16 name.
    pub(crate) fn check_add(
        &self,
        inst: *const MI_Instance,
        name: Units<'_>,
        ty: MI_Type,
    ) -> Result<Vec<u16>, MiError> {
        if !matches!(self.kind, Kind::Dynamic(_)) {
            return Err(MiError::Code(
                crate::mi::MI_RESULT_NOT_SUPPORTED,
                "AddElement is for dynamic instances; this one has a class declaration",
            ));
        }
        if value::value_size(ty).is_none() {
            return Err(MiError::InvalidParameter("the type is not an MI_Type"));
        }
        let name16 = name.to_utf16()?;
        if name16.is_empty() {
            return Err(MiError::InvalidParameter("the element name is empty"));
        }
        if self.find(inst, name).is_some() {
            return Err(MiError::Code(
                crate::mi::MI_RESULT_ALREADY_EXISTS,
                "the instance already has an element of that name",
            ));
        }
        Ok(name16)
    }

    /// Adds an element to a dynamic instance: its declaration and an empty
    /// field. Fails (changing nothing) as [`Record::check_add`] does; once
    /// checked, it cannot fail.
    pub(crate) fn add_dynamic(
        &mut self,
        inst: *mut MI_Instance,
        name: Units<'_>,
        ty: MI_Type,
        flags: u32,
    ) -> Result<u32, MiError> {
        let name16 = self.check_add(inst, name, ty)?;
        let ct = self.char_type;
        let Kind::Dynamic(d) = &mut self.kind else {
            unreachable!("checked: a dynamic instance");
        };
        let owned_name = OwnedText::from_utf16(&name16, ct);
        // SAFETY: plain data; all-zero is a declaration filled in below.
        let mut p: Box<MI_PropertyDecl> = Box::new(unsafe { std::mem::zeroed() });
        p.flags = (crate::mi::MI_FLAG_PROPERTY as u32)
            | (flags
                & (crate::mi::MI_FLAG_KEY as u32
                    | crate::mi::MI_FLAG_IN as u32
                    | crate::mi::MI_FLAG_OUT as u32
                    | crate::mi::MI_FLAG_REQUIRED as u32
                    | crate::mi::MI_FLAG_STREAM as u32));
        p.name = owned_name.as_ptr();
        p.r#type = ty;
        d.prop_ptrs.push(&*p);
        d.props.push(p);
        d.names.push(owned_name);
        d.cells.push(Box::new([0; 5]));
        d.decl.properties = d.prop_ptrs.as_ptr();
        d.decl.numProperties = d.props.len() as u32;
        self.owned.push(None);
        Ok(d.props.len() as u32 - 1)
    }

    /// The namespace set with `SetNameSpace`.
    pub(crate) fn set_namespace(&mut self, inst: *mut MI_Instance, ns: Option<OwnedText>) {
        self.namespace = ns;
        // SAFETY: a live instance of ours; the text lives in the record.
        unsafe { (*inst).nameSpace = self.namespace.as_ref().map_or(ptr::null(), |t| t.as_ptr()) };
    }

    /// The server name set with `SetServerName`.
    pub(crate) fn set_server_name(&mut self, inst: *mut MI_Instance, name: Option<OwnedText>) {
        self.server_name = name;
        // SAFETY: as above.
        unsafe {
            (*inst).serverName = self
                .server_name
                .as_ref()
                .map_or(ptr::null(), |t| t.as_ptr())
        };
    }

    /// Replaces what the instance owns for element `index`.
    pub(crate) fn own(&mut self, index: u32, owned: Option<Owned>) {
        if let Some(slot) = self.owned.get_mut(index as usize) {
            *slot = owned;
        }
    }
}
