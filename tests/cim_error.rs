//! `MI_Context_WriteCimError` and `PostCimError`: a CIM_Error instance made
//! by the provider (here through the context's own slots, as a provider
//! does) becomes one ERROR_RECORD built as the CIM cmdlets build it
//! (`psrp-host-calls.md` §5), in both character types.

use std::ptr;
use std::sync::{Arc, Mutex};

use mi_psrp::host::{CharType, Context, Pool};
use mi_psrp::mi::*;
use mi_psrp::provider::context::ProviderContext;
use mi_psrp::psrp::{DecodedRecord, Guid, decode_message};

const RPID: &str = "6397709e-f7d6-c54d-9568-fd4656ae4820";
const PID: &str = "632aa393-254e-b24d-8288-4d968d0da65d";

/// A NUL-terminated string in `ct`, as `MI_Char` units to hand to a slot.
fn text(s: &str, ct: CharType) -> Vec<MI_Char> {
    match ct {
        // UTF-16 where `wchar_t` is 2 bytes (Windows), UTF-32 where it is 4.
        CharType::Wide if size_of::<MI_Char>() == 2 => {
            s.encode_utf16().map(|u| u as MI_Char).chain([0]).collect()
        }
        CharType::Wide => s.chars().map(|c| c as u32 as MI_Char).chain([0]).collect(),
        CharType::Utf8 => {
            // Bytes packed into MI_Char storage (2 or 4 bytes a unit): the
            // slot reads them as bytes.
            let n = size_of::<MI_Char>();
            let mut b: Vec<u8> = s.bytes().chain([0]).collect();
            b.resize(b.len().div_ceil(n) * n, 0);
            let mut units: Vec<MI_Char> = vec![0; b.len() / n];
            // SAFETY: `units` holds exactly `b.len()` bytes.
            unsafe {
                std::ptr::copy_nonoverlapping(b.as_ptr(), units.as_mut_ptr().cast(), b.len())
            };
            units
        }
    }
}

struct Fixture {
    wire: Arc<Mutex<Vec<u8>>>,
    pc: ProviderContext,
    ct: CharType,
    keep: Vec<Vec<MI_Char>>,
}

impl Fixture {
    fn new(ct: CharType) -> Fixture {
        let wire: Arc<Mutex<Vec<u8>>> = Arc::default();
        let sink = Arc::clone(&wire);
        let pool = Pool::new(Guid::parse(RPID).unwrap(), move |f: &[u8]| {
            sink.lock().unwrap().extend_from_slice(f)
        });
        let ctx = Context::with_char_type(&pool, Guid::parse(PID).unwrap(), -1, -1, ct).unwrap();
        Fixture {
            wire,
            pc: ProviderContext::new(ctx),
            ct,
            keep: Vec::new(),
        }
    }

    fn ft(&self) -> &MI_ContextFT {
        // SAFETY: a live context of ours.
        unsafe { &*(*self.pc.as_ptr()).ft }
    }

    fn s(&mut self, v: &str) -> *const MI_Char {
        self.keep.push(text(v, self.ct));
        self.keep.last().unwrap().as_ptr()
    }

    /// A dynamic CIM_Error with `props` (strings, or uint16/uint32 numbers).
    fn cim_error(&mut self, props: &[(&str, Prop)]) -> *mut MI_Instance {
        let mut inst = ptr::null_mut();
        let class = self.s("CIM_Error");
        // SAFETY: the context's own slot, valid arguments.
        let r =
            unsafe { self.ft().NewDynamicInstance.unwrap()(self.pc.as_ptr(), class, 0, &mut inst) };
        assert_eq!(r, MI_RESULT_OK);
        for (name, p) in props {
            let n = self.s(name);
            // SAFETY: MI_Value is plain data; zero is a valid start.
            let mut v: MI_Value = unsafe { std::mem::zeroed() };
            let ty = match p {
                Prop::S(s) => {
                    v.string = self.s(s).cast_mut();
                    MI_STRING
                }
                Prop::U16(x) => {
                    v.uint16 = *x;
                    MI_UINT16
                }
                Prop::U32(x) => {
                    v.uint32 = *x;
                    MI_UINT32
                }
            };
            // SAFETY: our instance's table, a NUL-terminated name, a value of `ty`.
            let r = unsafe { (*(*inst).ft).AddElement.unwrap()(inst, n, &v, ty, 0) };
            assert_eq!(r, MI_RESULT_OK);
        }
        inst
    }

    fn error_record(&self) -> mi_psrp::psrp::DecodedErrorRecord {
        let stream = std::mem::take(&mut *self.wire.lock().unwrap());
        let mut d = mi_psrp::psrp::Defragmenter::new();
        let mut records = Vec::new();
        for f in mi_psrp::psrp::split_fragments(&stream) {
            let (h, blob) = f.unwrap();
            if let Some((_, m)) = d.push(&h, blob).unwrap() {
                records.push(decode_message(&m).unwrap().1);
            }
        }
        assert_eq!(records.len(), 1, "{records:?}");
        match records.remove(0) {
            DecodedRecord::Error(e) => e,
            other => panic!("{other:?}"),
        }
    }
}

impl Drop for Fixture {
    /// Ends the operation, so that the context is freed at once.
    fn drop(&mut self) {
        let _ = self.pc.context().post_result(MI_RESULT_OK);
    }
}

enum Prop {
    S(&'static str),
    U16(u16),
    U32(u32),
}

fn delete(inst: *mut MI_Instance) {
    // SAFETY: a heap instance of ours.
    assert_eq!(unsafe { (*(*inst).ft).Delete.unwrap()(inst) }, MI_RESULT_OK);
}

#[test]
fn write_cim_error_takes_message_id_category_and_source() {
    for ct in [CharType::Utf8, CharType::Wide] {
        let mut f = Fixture::new(ct);
        let e = f.cim_error(&[
            ("Message", Prop::S("The widget is locked")),
            ("MessageID", Prop::S("XYZ1001")),
            ("error_Category", Prop::U16(18)),
            ("ErrorSource", Prop::S("widget w1")),
        ]);
        let mut flag = 7;
        // SAFETY: the context's slot with our instance and a writable flag.
        let r = unsafe { f.ft().WriteCimError.unwrap()(f.pc.as_ptr(), e, &mut flag) };
        assert_eq!((r, flag), (MI_RESULT_OK, MI_TRUE));
        let rec = f.error_record();
        assert_eq!(rec.exception_message.unwrap(), "The widget is locked");
        assert_eq!(rec.fully_qualified_error_id.unwrap(), "XYZ1001");
        assert_eq!(rec.category.0, 18);
        assert_eq!(rec.target_name.unwrap(), "widget w1");
        assert_eq!(
            rec.category_message.unwrap(),
            "PermissionDenied: (widget w1:) [], CimException"
        );
        assert!(!f.pc.context().is_ended());
        delete(e);
    }
}

#[test]
fn write_cim_error_falls_back_to_the_mmi_defaults() {
    let mut f = Fixture::new(CharType::Wide);
    let e = f.cim_error(&[(
        "ErrorSource",
        Prop::S("a source name longer than forty units, cut"),
    )]);
    let mut flag = 0;
    // SAFETY: as above.
    let r = unsafe { f.ft().WriteCimError.unwrap()(f.pc.as_ptr(), e, &mut flag) };
    assert_eq!(r, MI_RESULT_OK);
    let rec = f.error_record();
    assert_eq!(rec.exception_message.unwrap(), "MI_RESULT_FAILED");
    assert_eq!(rec.fully_qualified_error_id.unwrap(), "MiClientApiError_Ok");
    assert_eq!(rec.category.0, 0);
    // ErrorCategoryInfo.Ellipsize: 15 units, …, the last 15.
    assert_eq!(
        rec.category_message.unwrap(),
        "NotSpecified: (a source name l\u{2026}orty units, cut:) [], CimException"
    );
    delete(e);
}

#[test]
fn post_cim_error_ends_with_its_status_code() {
    for ct in [CharType::Utf8, CharType::Wide] {
        let mut f = Fixture::new(ct);
        let e = f.cim_error(&[("CIMStatusCode", Prop::U32(MI_RESULT_ACCESS_DENIED))]);
        // SAFETY: as above.
        let r = unsafe { f.ft().PostCimError.unwrap()(f.pc.as_ptr(), e) };
        assert_eq!(r, MI_RESULT_OK);
        let o = f.pc.context().outcome().unwrap().clone();
        assert_eq!(o.result, MI_RESULT_ACCESS_DENIED);
        let rec = f.error_record();
        assert_eq!(rec.exception_message.unwrap(), "MI_RESULT_ACCESS_DENIED");
        assert_eq!(
            rec.fully_qualified_error_id.unwrap(),
            "MiClientApiError_AccessDenied"
        );
        assert_eq!(
            rec.category.0, 18,
            "PermissionDenied, from the MI result table"
        );
        // Ended: a second one fails and sends nothing.
        // SAFETY: as above.
        let r = unsafe { f.ft().PostCimError.unwrap()(f.pc.as_ptr(), e) };
        assert_eq!(r, MI_RESULT_FAILED);
        assert!(f.wire.lock().unwrap().is_empty());
        delete(e);
    }
}

#[test]
fn a_bad_cim_error_changes_nothing() {
    let mut f = Fixture::new(CharType::Wide);
    let mut flag = 7;
    // SAFETY: NULL instance; a flag that must stay untouched.
    let r = unsafe { f.ft().WriteCimError.unwrap()(f.pc.as_ptr(), ptr::null(), &mut flag) };
    assert_eq!((r, flag), (MI_RESULT_INVALID_PARAMETER, 7));
    // SAFETY: as above.
    let r = unsafe { f.ft().PostCimError.unwrap()(f.pc.as_ptr(), ptr::null()) };
    assert_eq!(r, MI_RESULT_INVALID_PARAMETER);
    let e = f.cim_error(&[]);
    // SAFETY: NULL flag.
    let r = unsafe { f.ft().WriteCimError.unwrap()(f.pc.as_ptr(), e, ptr::null_mut()) };
    assert_eq!(r, MI_RESULT_INVALID_PARAMETER);
    assert!(f.wire.lock().unwrap().is_empty());
    assert!(!f.pc.context().is_ended());
    delete(e);
}
