/* A stand-in for Microsoft's mi.h, written from mi-context-abi.md and from
 * the facts of OMI's MI.h (the same layouts as the Windows SDK's), in
 * Microsoft's own style, and not derived from mi-psrp's header: C enumerations,
 * `typedef struct _MI_X { ... } MI_X;`, an anonymous union in MI_Datetime,
 * MI_CONST fields. Windows' 30-slot MI_ContextFT unless MI_API_VERSION is 2
 * (OMI's default, which adds slot 30), and Microsoft-style static inline
 * wrappers that call through the table.
 *
 * tests/c/ms_provider.c is compiled against this header only, and
 * tests/c/mi_layout_dump.c against this header and against include/mi.h
 * (tests/mi_layout.rs compares the two outputs). */
#ifndef MS_MI_H
#define MS_MI_H

#include <stddef.h>
#include <string.h>
#include <wchar.h>

#if defined(MI_CHAR_TYPE)
#if (MI_CHAR_TYPE != 1) && (MI_CHAR_TYPE != 2)
#error "MI_CHAR_TYPE must be 1 or 2"
#endif
#else
#define MI_CHAR_TYPE 2
#endif
#ifndef MI_API_VERSION
#define MI_API_VERSION 1
#endif
#ifndef MI_CONST
#define MI_CONST const
#endif

#define MI_MAJOR ((MI_Uint32)1)
#if MI_API_VERSION == 2
#define MI_MINOR ((MI_Uint32)1)
#else
#define MI_MINOR ((MI_Uint32)0)
#endif
#define MI_REVISION ((MI_Uint32)0)
#define MI_MAKE_VERSION(MAJ, MIN, REV) ((MAJ << 16) | (MIN << 8) | REV)
#define MI_VERSION MI_MAKE_VERSION(MI_MAJOR, MI_MINOR, MI_REVISION)

#define MI_CALL
#define MI_INLINE static __inline
#define MI_MAX_LOCALE_SIZE 128
#define MI_TRUE ((MI_Boolean)1)
#define MI_FALSE ((MI_Boolean)0)
#define MI_WRITEMESSAGE_CHANNEL_WARNING 0
#define MI_WRITEMESSAGE_CHANNEL_VERBOSE 1
#define MI_WRITEMESSAGE_CHANNEL_DEBUG 2

#define MI_FLAG_CLASS (1 << 0)
#define MI_FLAG_METHOD (1 << 1)
#define MI_FLAG_PROPERTY (1 << 2)
#define MI_FLAG_PARAMETER (1 << 3)
#define MI_FLAG_ASSOCIATION (1 << 4)
#define MI_FLAG_INDICATION (1 << 5)
#define MI_FLAG_REFERENCE (1 << 6)
#define MI_FLAG_ANY (1|2|4|8|16|32|64)
#define MI_FLAG_ENABLEOVERRIDE (1 << 7)
#define MI_FLAG_DISABLEOVERRIDE (1 << 8)
#define MI_FLAG_RESTRICTED (1 << 9)
#define MI_FLAG_TOSUBCLASS (1 << 10)
#define MI_FLAG_TRANSLATABLE (1 << 11)
#define MI_FLAG_KEY (1 << 12)
#define MI_FLAG_IN (1 << 13)
#define MI_FLAG_OUT (1 << 14)
#define MI_FLAG_REQUIRED (1 << 15)
#define MI_FLAG_STATIC (1 << 16)
#define MI_FLAG_ABSTRACT (1 << 17)
#define MI_FLAG_TERMINAL (1 << 18)
#define MI_FLAG_EXPENSIVE (1 << 19)
#define MI_FLAG_STREAM (1 << 20)
#define MI_FLAG_READONLY (1 << 21)
#define MI_FLAG_TOINSTANCE (1 << 22)
#define MI_FLAG_NOT_MODIFIED (1 << 25)
#define MI_FLAG_VERSION (1<<26|1<<27|1<<28)
#define MI_FLAG_NULL (1 << 29)
#define MI_FLAG_BORROW (1 << 30)
#define MI_FLAG_ADOPT ((MI_Uint32)((MI_Uint32)1 << 31))
#define MI_MODULE_FLAG_STANDARD_QUALIFIERS (1 << 0)
#define MI_MODULE_FLAG_DESCRIPTIONS (1 << 1)
#define MI_MODULE_FLAG_VALUES (1 << 2)
#define MI_MODULE_FLAG_MAPPING_STRINGS (1 << 3)
#define MI_MODULE_FLAG_BOOLEANS (1 << 4)
#define MI_MODULE_FLAG_CPLUSPLUS (1 << 5)
#define MI_MODULE_FLAG_LOCALIZED (1 << 6)
#define MI_MODULE_FLAG_FILTER_SUPPORT (1 << 7)
#if MI_API_VERSION == 2
#define MI_LIFECYCLE_INDICATION_NONE 0
#define MI_LIFECYCLE_INDICATION_CREATE 1
#define MI_LIFECYCLE_INDICATION_MODIFY 2
#define MI_LIFECYCLE_INDICATION_DELETE 4
#define MI_LIFECYCLE_INDICATION_READ 8
#define MI_LIFECYCLE_INDICATION_METHODCALL 16
#define MI_LIFECYCLE_INDICATION_ALL (MI_LIFECYCLE_INDICATION_CREATE | MI_LIFECYCLE_INDICATION_MODIFY | MI_LIFECYCLE_INDICATION_DELETE | MI_LIFECYCLE_INDICATION_READ | MI_LIFECYCLE_INDICATION_METHODCALL)
#endif

typedef unsigned char MI_Boolean;
typedef unsigned char MI_Uint8;
typedef signed char MI_Sint8;
typedef unsigned short MI_Uint16;
typedef signed short MI_Sint16;
typedef unsigned int MI_Uint32;
typedef signed int MI_Sint32;
typedef unsigned long long MI_Uint64;
typedef signed long long MI_Sint64;
typedef float MI_Real32;
typedef double MI_Real64;
typedef unsigned short MI_Char16;

#if MI_CHAR_TYPE == 1
typedef char MI_Char;
#define MI_T(STR) STR
#else
typedef wchar_t MI_Char;
#define MI_T(STR) L##STR
#define MI_USE_WCHAR
#endif

typedef enum _MI_Result {
    MI_RESULT_OK = 0,
    MI_RESULT_FAILED = 1,
    MI_RESULT_ACCESS_DENIED = 2,
    MI_RESULT_INVALID_NAMESPACE = 3,
    MI_RESULT_INVALID_PARAMETER = 4,
    MI_RESULT_INVALID_CLASS = 5,
    MI_RESULT_NOT_FOUND = 6,
    MI_RESULT_NOT_SUPPORTED = 7,
    MI_RESULT_CLASS_HAS_CHILDREN = 8,
    MI_RESULT_CLASS_HAS_INSTANCES = 9,
    MI_RESULT_INVALID_SUPERCLASS = 10,
    MI_RESULT_ALREADY_EXISTS = 11,
    MI_RESULT_NO_SUCH_PROPERTY = 12,
    MI_RESULT_TYPE_MISMATCH = 13,
    MI_RESULT_QUERY_LANGUAGE_NOT_SUPPORTED = 14,
    MI_RESULT_INVALID_QUERY = 15,
    MI_RESULT_METHOD_NOT_AVAILABLE = 16,
    MI_RESULT_METHOD_NOT_FOUND = 17,
    MI_RESULT_NAMESPACE_NOT_EMPTY = 20,
    MI_RESULT_INVALID_ENUMERATION_CONTEXT = 21,
    MI_RESULT_INVALID_OPERATION_TIMEOUT = 22,
    MI_RESULT_PULL_HAS_BEEN_ABANDONED = 23,
    MI_RESULT_PULL_CANNOT_BE_ABANDONED = 24,
    MI_RESULT_FILTERED_ENUMERATION_NOT_SUPPORTED = 25,
    MI_RESULT_CONTINUATION_ON_ERROR_NOT_SUPPORTED = 26,
    MI_RESULT_SERVER_LIMITS_EXCEEDED = 27,
    MI_RESULT_SERVER_IS_SHUTTING_DOWN = 28
} MI_Result;

typedef enum _MI_ErrorCategory {
    MI_ERRORCATEGORY_NOT_SPECIFIED = 0,
    MI_ERRORCATEGORY_OPEN_ERROR = 1,
    MI_ERRORCATEGORY_CLOS_EERROR = 2,
    MI_ERRORCATEGORY_DEVICE_ERROR = 3,
    MI_ERRORCATEGORY_DEADLOCK_DETECTED = 4,
    MI_ERRORCATEGORY_INVALID_ARGUMENT = 5,
    MI_ERRORCATEGORY_INVALID_DATA = 6,
    MI_ERRORCATEGORY_INVALID_OPERATION = 7,
    MI_ERRORCATEGORY_INVALID_RESULT = 8,
    MI_ERRORCATEGORY_INVALID_TYPE = 9,
    MI_ERRORCATEGORY_METADATA_ERROR = 10,
    MI_ERRORCATEGORY_NOT_IMPLEMENTED = 11,
    MI_ERRORCATEGORY_NOT_INSTALLED = 12,
    MI_ERRORCATEGORY_OBJECT_NOT_FOUND = 13,
    MI_ERRORCATEGORY_OPERATION_STOPPED = 14,
    MI_ERRORCATEGORY_OPERATION_TIMEOUT = 15,
    MI_ERRORCATEGORY_SYNTAX_ERROR = 16,
    MI_ERRORCATEGORY_PARSER_ERROR = 17,
    MI_ERRORCATEGORY_ACCESS_DENIED = 18,
    MI_ERRORCATEGORY_RESOURCE_BUSY = 19,
    MI_ERRORCATEGORY_RESOURCE_EXISTS = 20,
    MI_ERRORCATEGORY_RESOURCE_UNAVAILABLE = 21,
    MI_ERRORCATEGORY_READ_ERROR = 22,
    MI_ERRORCATEGORY_WRITE_ERROR = 23,
    MI_ERRORCATEGORY_FROM_STDERR = 24,
    MI_ERRORCATEGORY_SECURITY_ERROR = 25,
    MI_ERRORCATEGORY_PROTOCOL_ERROR = 26,
    MI_ERRORCATEGORY_CONNECTION_ERROR = 27,
    MI_ERRORCATEGORY_AUTHENTICATION_ERROR = 28,
    MI_ERRORCATEGORY_LIMITS_EXCEEDED = 29,
    MI_ERRORCATEGORY_QUOTA_EXCEEDED = 30,
    MI_ERRORCATEGORY_NOT_ENABLED = 31
} MI_ErrorCategory;

typedef enum _MI_PromptType {
    MI_PROMPTTYPE_NORMAL = 0,
    MI_PROMPTTYPE_CRITICAL = 1
} MI_PromptType;

typedef enum _MI_CallbackMode {
    MI_CALLBACKMODE_REPORT = 0,
    MI_CALLBACKMODE_INQUIRE = 1,
    MI_CALLBACKMODE_IGNORE = 2
} MI_CallbackMode;

typedef enum _MI_ProviderArchitecture {
    MI_PROVIDER_ARCHITECTURE_32BIT = 0,
    MI_PROVIDER_ARCHITECTURE_64BIT = 1
} MI_ProviderArchitecture;

typedef enum _MI_Type {
    MI_BOOLEAN = 0,
    MI_UINT8 = 1,
    MI_SINT8 = 2,
    MI_UINT16 = 3,
    MI_SINT16 = 4,
    MI_UINT32 = 5,
    MI_SINT32 = 6,
    MI_UINT64 = 7,
    MI_SINT64 = 8,
    MI_REAL32 = 9,
    MI_REAL64 = 10,
    MI_CHAR16 = 11,
    MI_DATETIME = 12,
    MI_STRING = 13,
    MI_REFERENCE = 14,
    MI_INSTANCE = 15,
    MI_BOOLEANA = 16,
    MI_UINT8A = 17,
    MI_SINT8A = 18,
    MI_UINT16A = 19,
    MI_SINT16A = 20,
    MI_UINT32A = 21,
    MI_SINT32A = 22,
    MI_UINT64A = 23,
    MI_SINT64A = 24,
    MI_REAL32A = 25,
    MI_REAL64A = 26,
    MI_CHAR16A = 27,
    MI_DATETIMEA = 28,
    MI_STRINGA = 29,
    MI_REFERENCEA = 30,
    MI_INSTANCEA = 31,
    MI_ARRAY = 16
} MI_Type;

typedef enum _MI_LocaleType {
    MI_LOCALE_TYPE_REQUESTED_UI = 0,
    MI_LOCALE_TYPE_REQUESTED_DATA = 1,
    MI_LOCALE_TYPE_CLOSEST_UI = 2,
    MI_LOCALE_TYPE_CLOSEST_DATA = 3
} MI_LocaleType;

typedef enum _MI_CancellationReason {
    MI_REASON_NONE = 0,
    MI_REASON_TIMEOUT = 1,
    MI_REASON_SHUTDOWN = 2,
    MI_REASON_SERVICESTOP = 3
} MI_CancellationReason;

typedef struct _MI_Timestamp MI_Timestamp;
typedef struct _MI_Interval MI_Interval;
typedef struct _MI_Datetime MI_Datetime;
typedef struct _MI_BooleanA MI_BooleanA;
typedef struct _MI_Uint8A MI_Uint8A;
typedef struct _MI_Sint8A MI_Sint8A;
typedef struct _MI_Uint16A MI_Uint16A;
typedef struct _MI_Sint16A MI_Sint16A;
typedef struct _MI_Uint32A MI_Uint32A;
typedef struct _MI_Sint32A MI_Sint32A;
typedef struct _MI_Uint64A MI_Uint64A;
typedef struct _MI_Sint64A MI_Sint64A;
typedef struct _MI_Real32A MI_Real32A;
typedef struct _MI_Real64A MI_Real64A;
typedef struct _MI_Char16A MI_Char16A;
typedef struct _MI_DatetimeA MI_DatetimeA;
typedef struct _MI_StringA MI_StringA;
typedef struct _MI_ReferenceA MI_ReferenceA;
typedef struct _MI_InstanceA MI_InstanceA;
typedef struct _MI_Array MI_Array;
typedef struct _MI_ConstBooleanA MI_ConstBooleanA;
typedef struct _MI_ConstUint8A MI_ConstUint8A;
typedef struct _MI_ConstSint8A MI_ConstSint8A;
typedef struct _MI_ConstUint16A MI_ConstUint16A;
typedef struct _MI_ConstSint16A MI_ConstSint16A;
typedef struct _MI_ConstUint32A MI_ConstUint32A;
typedef struct _MI_ConstSint32A MI_ConstSint32A;
typedef struct _MI_ConstUint64A MI_ConstUint64A;
typedef struct _MI_ConstSint64A MI_ConstSint64A;
typedef struct _MI_ConstReal32A MI_ConstReal32A;
typedef struct _MI_ConstReal64A MI_ConstReal64A;
typedef struct _MI_ConstChar16A MI_ConstChar16A;
typedef struct _MI_ConstDatetimeA MI_ConstDatetimeA;
typedef struct _MI_ConstStringA MI_ConstStringA;
typedef struct _MI_ConstReferenceA MI_ConstReferenceA;
typedef struct _MI_ConstInstanceA MI_ConstInstanceA;
typedef union _MI_Value MI_Value;
typedef struct _MI_BooleanField MI_BooleanField;
typedef struct _MI_Uint8Field MI_Uint8Field;
typedef struct _MI_Sint8Field MI_Sint8Field;
typedef struct _MI_Uint16Field MI_Uint16Field;
typedef struct _MI_Sint16Field MI_Sint16Field;
typedef struct _MI_Uint32Field MI_Uint32Field;
typedef struct _MI_Sint32Field MI_Sint32Field;
typedef struct _MI_Uint64Field MI_Uint64Field;
typedef struct _MI_Sint64Field MI_Sint64Field;
typedef struct _MI_Real32Field MI_Real32Field;
typedef struct _MI_Real64Field MI_Real64Field;
typedef struct _MI_Char16Field MI_Char16Field;
typedef struct _MI_DatetimeField MI_DatetimeField;
typedef struct _MI_StringField MI_StringField;
typedef struct _MI_ReferenceField MI_ReferenceField;
typedef struct _MI_InstanceField MI_InstanceField;
typedef struct _MI_BooleanAField MI_BooleanAField;
typedef struct _MI_Uint8AField MI_Uint8AField;
typedef struct _MI_Sint8AField MI_Sint8AField;
typedef struct _MI_Uint16AField MI_Uint16AField;
typedef struct _MI_Sint16AField MI_Sint16AField;
typedef struct _MI_Uint32AField MI_Uint32AField;
typedef struct _MI_Sint32AField MI_Sint32AField;
typedef struct _MI_Uint64AField MI_Uint64AField;
typedef struct _MI_Sint64AField MI_Sint64AField;
typedef struct _MI_Real32AField MI_Real32AField;
typedef struct _MI_Real64AField MI_Real64AField;
typedef struct _MI_Char16AField MI_Char16AField;
typedef struct _MI_DatetimeAField MI_DatetimeAField;
typedef struct _MI_StringAField MI_StringAField;
typedef struct _MI_ReferenceAField MI_ReferenceAField;
typedef struct _MI_InstanceAField MI_InstanceAField;
typedef struct _MI_ArrayField MI_ArrayField;
typedef struct _MI_ConstBooleanField MI_ConstBooleanField;
typedef struct _MI_ConstUint8Field MI_ConstUint8Field;
typedef struct _MI_ConstSint8Field MI_ConstSint8Field;
typedef struct _MI_ConstUint16Field MI_ConstUint16Field;
typedef struct _MI_ConstSint16Field MI_ConstSint16Field;
typedef struct _MI_ConstUint32Field MI_ConstUint32Field;
typedef struct _MI_ConstSint32Field MI_ConstSint32Field;
typedef struct _MI_ConstUint64Field MI_ConstUint64Field;
typedef struct _MI_ConstSint64Field MI_ConstSint64Field;
typedef struct _MI_ConstReal32Field MI_ConstReal32Field;
typedef struct _MI_ConstReal64Field MI_ConstReal64Field;
typedef struct _MI_ConstChar16Field MI_ConstChar16Field;
typedef struct _MI_ConstDatetimeField MI_ConstDatetimeField;
typedef struct _MI_ConstStringField MI_ConstStringField;
typedef struct _MI_ConstReferenceField MI_ConstReferenceField;
typedef struct _MI_ConstInstanceField MI_ConstInstanceField;
typedef struct _MI_ConstBooleanAField MI_ConstBooleanAField;
typedef struct _MI_ConstUint8AField MI_ConstUint8AField;
typedef struct _MI_ConstSint8AField MI_ConstSint8AField;
typedef struct _MI_ConstUint16AField MI_ConstUint16AField;
typedef struct _MI_ConstSint16AField MI_ConstSint16AField;
typedef struct _MI_ConstUint32AField MI_ConstUint32AField;
typedef struct _MI_ConstSint32AField MI_ConstSint32AField;
typedef struct _MI_ConstUint64AField MI_ConstUint64AField;
typedef struct _MI_ConstSint64AField MI_ConstSint64AField;
typedef struct _MI_ConstReal32AField MI_ConstReal32AField;
typedef struct _MI_ConstReal64AField MI_ConstReal64AField;
typedef struct _MI_ConstChar16AField MI_ConstChar16AField;
typedef struct _MI_ConstDatetimeAField MI_ConstDatetimeAField;
typedef struct _MI_ConstStringAField MI_ConstStringAField;
typedef struct _MI_ConstReferenceAField MI_ConstReferenceAField;
typedef struct _MI_ConstInstanceAField MI_ConstInstanceAField;
typedef struct _MI_ServerFT MI_ServerFT;
typedef struct _MI_Server MI_Server;
typedef struct _MI_FilterFT MI_FilterFT;
typedef struct _MI_Filter MI_Filter;
typedef struct _MI_PropertySetFT MI_PropertySetFT;
typedef struct _MI_PropertySet MI_PropertySet;
typedef struct _MI_FeatureDecl MI_FeatureDecl;
typedef struct _MI_ObjectDecl MI_ObjectDecl;
typedef struct _MI_ClassDecl MI_ClassDecl;
typedef struct _MI_ParameterDecl MI_ParameterDecl;
typedef struct _MI_PropertyDecl MI_PropertyDecl;
typedef struct _MI_MethodDecl MI_MethodDecl;
typedef struct _MI_QualifierDecl MI_QualifierDecl;
typedef struct _MI_Qualifier MI_Qualifier;
typedef struct _MI_SchemaDecl MI_SchemaDecl;
typedef struct _MI_ProviderFT MI_ProviderFT;
typedef struct _MI_Module MI_Module;
typedef struct _MI_InstanceFT MI_InstanceFT;
typedef struct _MI_Instance MI_Instance;
typedef struct _MI_ContextFT MI_ContextFT;
typedef struct _MI_Context MI_Context;
typedef struct _MI_Session MI_Session;
typedef struct _MI_Class MI_Class;
typedef struct _MI_SessionFT MI_SessionFT;
typedef struct _MI_Module_Self MI_Module_Self;
typedef struct _MI_LifecycleIndicationContext MI_LifecycleIndicationContext;

typedef void(MI_CALL *MI_CancelCallback)(MI_CancellationReason reason, void *callbackData);
typedef void(MI_CALL *MI_MethodDecl_Invoke)(void *self, MI_Context *context, const MI_Char *nameSpace,
                                            const MI_Char *className, const MI_Char *methodName,
                                            const MI_Instance *instanceName, const MI_Instance *parameters);
typedef void(MI_CALL *MI_ProviderFT_Load)(void **self, MI_Module_Self *selfModule, MI_Context *context);
typedef void(MI_CALL *MI_ProviderFT_Unload)(void *self, MI_Context *context);
typedef void(MI_CALL *MI_ProviderFT_GetInstance)(void *self, MI_Context *context, const MI_Char *nameSpace,
                                                 const MI_Char *className, const MI_Instance *instanceName,
                                                 const MI_PropertySet *propertySet);
typedef void(MI_CALL *MI_ProviderFT_EnumerateInstances)(void *self, MI_Context *context,
                                                        const MI_Char *nameSpace, const MI_Char *className,
                                                        const MI_PropertySet *propertySet, MI_Boolean keysOnly,
                                                        const MI_Filter *filter);
typedef void(MI_CALL *MI_ProviderFT_CreateInstance)(void *self, MI_Context *context, const MI_Char *nameSpace,
                                                    const MI_Char *className, const MI_Instance *newInstance);
typedef void(MI_CALL *MI_ProviderFT_ModifyInstance)(void *self, MI_Context *context, const MI_Char *nameSpace,
                                                    const MI_Char *className, const MI_Instance *modifiedInstance,
                                                    const MI_PropertySet *propertySet);
typedef void(MI_CALL *MI_ProviderFT_DeleteInstance)(void *self, MI_Context *context, const MI_Char *nameSpace,
                                                    const MI_Char *className, const MI_Instance *instanceName);
typedef void(MI_CALL *MI_ProviderFT_AssociatorInstances)(
    void *self, MI_Context *context, const MI_Char *nameSpace, const MI_Char *className,
    const MI_Instance *instanceName, const MI_Char *resultClass, const MI_Char *role, const MI_Char *resultRole,
    const MI_PropertySet *propertySet, MI_Boolean keysOnly, const MI_Filter *filter);
typedef void(MI_CALL *MI_ProviderFT_ReferenceInstances)(void *self, MI_Context *context,
                                                        const MI_Char *nameSpace, const MI_Char *className,
                                                        const MI_Instance *instanceName, const MI_Char *role,
                                                        const MI_PropertySet *propertySet, MI_Boolean keysOnly,
                                                        const MI_Filter *filter);
typedef void(MI_CALL *MI_ProviderFT_EnableIndications)(void *self, MI_Context *indicationsContext,
                                                       const MI_Char *nameSpace, const MI_Char *className);
typedef void(MI_CALL *MI_ProviderFT_DisableIndications)(void *self, MI_Context *indicationsContext,
                                                        const MI_Char *nameSpace, const MI_Char *className);
typedef void(MI_CALL *MI_ProviderFT_Subscribe)(void *self, MI_Context *context, const MI_Char *nameSpace,
                                               const MI_Char *className, const MI_Filter *filter,
                                               const MI_Char *bookmark, MI_Uint64 subscriptionID,
                                               void **subscriptionSelf);
typedef void(MI_CALL *MI_ProviderFT_Unsubscribe)(void *self, MI_Context *context, const MI_Char *nameSpace,
                                                 const MI_Char *className, MI_Uint64 subscriptionID,
                                                 void *subscriptionSelf);
typedef void(MI_CALL *MI_ProviderFT_Invoke)(void *self, MI_Context *context, const MI_Char *nameSpace,
                                            const MI_Char *className, const MI_Char *methodName,
                                            const MI_Instance *instanceName, const MI_Instance *inputParameters);
typedef void(MI_CALL *MI_Module_Load)(MI_Module_Self **self, MI_Context *context);
typedef void(MI_CALL *MI_Module_Unload)(MI_Module_Self *self, MI_Context *context);

struct _MI_Timestamp {
    MI_Uint32 year;
    MI_Uint32 month;
    MI_Uint32 day;
    MI_Uint32 hour;
    MI_Uint32 minute;
    MI_Uint32 second;
    MI_Uint32 microseconds;
    MI_Sint32 utc;
};

struct _MI_Interval {
    MI_Uint32 days;
    MI_Uint32 hours;
    MI_Uint32 minutes;
    MI_Uint32 seconds;
    MI_Uint32 microseconds;
    MI_Uint32 __padding1;
    MI_Uint32 __padding2;
    MI_Uint32 __padding3;
};

struct _MI_Datetime {
    MI_Uint32 isTimestamp;
    union { MI_Timestamp timestamp; MI_Interval interval; } u;
};

struct _MI_BooleanA {
    MI_Boolean* data;
    MI_Uint32 size;
};

struct _MI_Uint8A {
    MI_Uint8* data;
    MI_Uint32 size;
};

struct _MI_Sint8A {
    MI_Sint8* data;
    MI_Uint32 size;
};

struct _MI_Uint16A {
    MI_Uint16* data;
    MI_Uint32 size;
};

struct _MI_Sint16A {
    MI_Sint16* data;
    MI_Uint32 size;
};

struct _MI_Uint32A {
    MI_Uint32* data;
    MI_Uint32 size;
};

struct _MI_Sint32A {
    MI_Sint32* data;
    MI_Uint32 size;
};

struct _MI_Uint64A {
    MI_Uint64* data;
    MI_Uint32 size;
};

struct _MI_Sint64A {
    MI_Sint64* data;
    MI_Uint32 size;
};

struct _MI_Real32A {
    MI_Real32* data;
    MI_Uint32 size;
};

struct _MI_Real64A {
    MI_Real64* data;
    MI_Uint32 size;
};

struct _MI_Char16A {
    MI_Char16* data;
    MI_Uint32 size;
};

struct _MI_DatetimeA {
    MI_Datetime* data;
    MI_Uint32 size;
};

struct _MI_StringA {
    MI_Char** data;
    MI_Uint32 size;
};

struct _MI_ReferenceA {
    struct _MI_Instance** data;
    MI_Uint32 size;
};

struct _MI_InstanceA {
    MI_Instance** data;
    MI_Uint32 size;
};

struct _MI_Array {
    void* data;
    MI_Uint32 size;
};

struct _MI_ConstBooleanA {
    MI_CONST MI_Boolean* data;
    MI_Uint32 size;
};

struct _MI_ConstUint8A {
    MI_CONST MI_Uint8* data;
    MI_Uint32 size;
};

struct _MI_ConstSint8A {
    MI_CONST MI_Sint8* data;
    MI_Uint32 size;
};

struct _MI_ConstUint16A {
    MI_CONST MI_Uint16* data;
    MI_Uint32 size;
};

struct _MI_ConstSint16A {
    MI_CONST MI_Sint16* data;
    MI_Uint32 size;
};

struct _MI_ConstUint32A {
    MI_CONST MI_Uint32* data;
    MI_Uint32 size;
};

struct _MI_ConstSint32A {
    MI_CONST MI_Sint32* data;
    MI_Uint32 size;
};

struct _MI_ConstUint64A {
    MI_CONST MI_Uint64* data;
    MI_Uint32 size;
};

struct _MI_ConstSint64A {
    MI_CONST MI_Sint64* data;
    MI_Uint32 size;
};

struct _MI_ConstReal32A {
    MI_CONST MI_Real32* data;
    MI_Uint32 size;
};

struct _MI_ConstReal64A {
    MI_CONST MI_Real64* data;
    MI_Uint32 size;
};

struct _MI_ConstChar16A {
    MI_CONST MI_Char16* data;
    MI_Uint32 size;
};

struct _MI_ConstDatetimeA {
    MI_CONST MI_Datetime* data;
    MI_Uint32 size;
};

struct _MI_ConstStringA {
    MI_CONST MI_Char* MI_CONST* data;
    MI_Uint32 size;
};

struct _MI_ConstReferenceA {
    MI_CONST MI_Instance* MI_CONST* data;
    MI_Uint32 size;
};

struct _MI_ConstInstanceA {
    MI_CONST MI_Instance* MI_CONST* data;
    MI_Uint32 size;
};

union _MI_Value {
    MI_Boolean boolean;
    MI_Uint8 uint8;
    MI_Sint8 sint8;
    MI_Uint16 uint16;
    MI_Sint16 sint16;
    MI_Uint32 uint32;
    MI_Sint32 sint32;
    MI_Uint64 uint64;
    MI_Sint64 sint64;
    MI_Real32 real32;
    MI_Real64 real64;
    MI_Char16 char16;
    MI_Datetime datetime;
    MI_Char* string;
    MI_Instance* instance;
    MI_Instance* reference;
    MI_BooleanA booleana;
    MI_Uint8A uint8a;
    MI_Sint8A sint8a;
    MI_Uint16A uint16a;
    MI_Sint16A sint16a;
    MI_Uint32A uint32a;
    MI_Sint32A sint32a;
    MI_Uint64A uint64a;
    MI_Sint64A sint64a;
    MI_Real32A real32a;
    MI_Real64A real64a;
    MI_Char16A char16a;
    MI_DatetimeA datetimea;
    MI_StringA stringa;
    MI_ReferenceA referencea;
    MI_InstanceA instancea;
    MI_Array array;
};

struct _MI_BooleanField {
    MI_Boolean value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Uint8Field {
    MI_Uint8 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Sint8Field {
    MI_Sint8 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Uint16Field {
    MI_Uint16 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Sint16Field {
    MI_Sint16 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Uint32Field {
    MI_Uint32 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Sint32Field {
    MI_Sint32 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Uint64Field {
    MI_Uint64 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Sint64Field {
    MI_Sint64 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Real32Field {
    MI_Real32 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Real64Field {
    MI_Real64 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Char16Field {
    MI_Char16 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_DatetimeField {
    MI_Datetime value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_StringField {
    MI_Char* value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ReferenceField {
    MI_Instance* value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_InstanceField {
    MI_Instance* value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_BooleanAField {
    MI_BooleanA value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Uint8AField {
    MI_Uint8A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Sint8AField {
    MI_Sint8A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Uint16AField {
    MI_Uint16A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Sint16AField {
    MI_Sint16A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Uint32AField {
    MI_Uint32A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Sint32AField {
    MI_Sint32A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Uint64AField {
    MI_Uint64A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Sint64AField {
    MI_Sint64A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Real32AField {
    MI_Real32A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Real64AField {
    MI_Real64A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_Char16AField {
    MI_Char16A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_DatetimeAField {
    MI_DatetimeA value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_StringAField {
    MI_StringA value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ReferenceAField {
    MI_ReferenceA value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_InstanceAField {
    MI_InstanceA value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ArrayField {
    MI_Array value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstBooleanField {
    MI_Boolean value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstUint8Field {
    MI_Uint8 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstSint8Field {
    MI_Sint8 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstUint16Field {
    MI_Uint16 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstSint16Field {
    MI_Sint16 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstUint32Field {
    MI_Uint32 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstSint32Field {
    MI_Sint32 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstUint64Field {
    MI_Uint64 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstSint64Field {
    MI_Sint64 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstReal32Field {
    MI_Real32 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstReal64Field {
    MI_Real64 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstChar16Field {
    MI_Char16 value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstDatetimeField {
    MI_Datetime value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstStringField {
    MI_CONST MI_Char* value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstReferenceField {
    MI_CONST MI_Instance* value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstInstanceField {
    MI_CONST MI_Instance* value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstBooleanAField {
    MI_ConstBooleanA value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstUint8AField {
    MI_ConstUint8A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstSint8AField {
    MI_ConstSint8A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstUint16AField {
    MI_ConstUint16A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstSint16AField {
    MI_ConstSint16A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstUint32AField {
    MI_ConstUint32A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstSint32AField {
    MI_ConstSint32A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstUint64AField {
    MI_ConstUint64A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstSint64AField {
    MI_ConstSint64A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstReal32AField {
    MI_ConstReal32A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstReal64AField {
    MI_ConstReal64A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstChar16AField {
    MI_ConstChar16A value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstDatetimeAField {
    MI_ConstDatetimeA value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstStringAField {
    MI_ConstStringA value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstReferenceAField {
    MI_ConstReferenceA value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ConstInstanceAField {
    MI_ConstInstanceA value;
    MI_Boolean exists;
    MI_Uint8 flags;
};

struct _MI_ServerFT {
    MI_Result (MI_CALL *GetVersion)(MI_Uint32* version);
    MI_Result (MI_CALL *GetSystemName)(const MI_Char** systemName);
};

struct _MI_Server {
    const MI_ServerFT* serverFT;
    const MI_ContextFT* contextFT;
    const MI_InstanceFT* instanceFT;
    const MI_PropertySetFT* propertySetFT;
    const MI_FilterFT* filterFT;
};

struct _MI_FilterFT {
    MI_Result (MI_CALL *Evaluate)(const MI_Filter* self, const MI_Instance* instance, MI_Boolean* result);
    MI_Result (MI_CALL *GetExpression)(const MI_Filter* self, const MI_Char** queryLang, const MI_Char** queryExpr);
};

struct _MI_Filter {
    const MI_FilterFT* ft;
    ptrdiff_t reserved[3];
};

struct _MI_PropertySetFT {
    MI_Result (MI_CALL *GetElementCount)(const MI_PropertySet* self, MI_Uint32* count);
    MI_Result (MI_CALL *ContainsElement)(const MI_PropertySet* self, const MI_Char* name, MI_Boolean* flag);
    MI_Result (MI_CALL *AddElement)(MI_PropertySet* self, const MI_Char* name);
    MI_Result (MI_CALL *GetElementAt)(const MI_PropertySet* self, MI_Uint32 index, const MI_Char** name);
    MI_Result (MI_CALL *Clear)(MI_PropertySet* self);
    MI_Result (MI_CALL *Destruct)(MI_PropertySet* self);
    MI_Result (MI_CALL *Delete)(MI_PropertySet* self);
    MI_Result (MI_CALL *Clone)(const MI_PropertySet* self, MI_PropertySet** newPropertySet);
};

struct _MI_PropertySet {
    const MI_PropertySetFT* ft;
    ptrdiff_t reserved[3];
};

struct _MI_FeatureDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char* name;
    MI_Qualifier MI_CONST* MI_CONST* qualifiers;
    MI_Uint32 numQualifiers;
};

struct _MI_ObjectDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char* name;
    MI_Qualifier MI_CONST* MI_CONST* qualifiers;
    MI_Uint32 numQualifiers;
    struct _MI_PropertyDecl MI_CONST* MI_CONST* properties;
    MI_Uint32 numProperties;
    MI_Uint32 size;
};

struct _MI_ClassDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char* name;
    MI_Qualifier MI_CONST* MI_CONST* qualifiers;
    MI_Uint32 numQualifiers;
    struct _MI_PropertyDecl MI_CONST* MI_CONST* properties;
    MI_Uint32 numProperties;
    MI_Uint32 size;
    MI_CONST MI_Char* superClass;
    MI_ClassDecl MI_CONST* superClassDecl;
    struct _MI_MethodDecl MI_CONST* MI_CONST* methods;
    MI_Uint32 numMethods;
    struct _MI_SchemaDecl MI_CONST* schema;
    MI_CONST MI_ProviderFT* providerFT;
    MI_Class* owningClass;
};

struct _MI_ParameterDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char* name;
    MI_Qualifier MI_CONST* MI_CONST* qualifiers;
    MI_Uint32 numQualifiers;
    MI_Uint32 type;
    MI_CONST MI_Char* className;
    MI_Uint32 subscript;
    MI_Uint32 offset;
};

struct _MI_PropertyDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char* name;
    MI_Qualifier MI_CONST* MI_CONST* qualifiers;
    MI_Uint32 numQualifiers;
    MI_Uint32 type;
    MI_CONST MI_Char* className;
    MI_Uint32 subscript;
    MI_Uint32 offset;
    MI_CONST MI_Char* origin;
    MI_CONST MI_Char* propagator;
    MI_CONST void* value;
};

struct _MI_MethodDecl {
    MI_Uint32 flags;
    MI_Uint32 code;
    MI_CONST MI_Char* name;
    MI_Qualifier MI_CONST* MI_CONST* qualifiers;
    MI_Uint32 numQualifiers;
    struct _MI_ParameterDecl MI_CONST* MI_CONST* parameters;
    MI_Uint32 numParameters;
    MI_Uint32 size;
    MI_Uint32 returnType;
    MI_CONST MI_Char* origin;
    MI_CONST MI_Char* propagator;
    struct _MI_SchemaDecl MI_CONST* schema;
    MI_MethodDecl_Invoke function;
};

struct _MI_QualifierDecl {
    MI_CONST MI_Char* name;
    MI_Uint32 type;
    MI_Uint32 scope;
    MI_Uint32 flavor;
    MI_Uint32 subscript;
    MI_CONST void* value;
};

struct _MI_Qualifier {
    MI_CONST MI_Char* name;
    MI_Uint32 type;
    MI_Uint32 flavor;
    MI_CONST void* value;
};

struct _MI_SchemaDecl {
    MI_QualifierDecl MI_CONST* MI_CONST* qualifierDecls;
    MI_Uint32 numQualifierDecls;
    MI_ClassDecl MI_CONST* MI_CONST* classDecls;
    MI_Uint32 numClassDecls;
};

struct _MI_ProviderFT {
    MI_ProviderFT_Load Load;
    MI_ProviderFT_Unload Unload;
    MI_ProviderFT_GetInstance GetInstance;
    MI_ProviderFT_EnumerateInstances EnumerateInstances;
    MI_ProviderFT_CreateInstance CreateInstance;
    MI_ProviderFT_ModifyInstance ModifyInstance;
    MI_ProviderFT_DeleteInstance DeleteInstance;
    MI_ProviderFT_AssociatorInstances AssociatorInstances;
    MI_ProviderFT_ReferenceInstances ReferenceInstances;
    MI_ProviderFT_EnableIndications EnableIndications;
    MI_ProviderFT_DisableIndications DisableIndications;
    MI_ProviderFT_Subscribe Subscribe;
    MI_ProviderFT_Unsubscribe Unsubscribe;
    MI_ProviderFT_Invoke Invoke;
};

struct _MI_Module {
    MI_Uint32 version;
    MI_Uint32 generatorVersion;
    MI_Uint32 flags;
    MI_Uint32 charSize;
    MI_SchemaDecl* schemaDecl;
    MI_Module_Load Load;
    MI_Module_Unload Unload;
    const MI_ProviderFT* dynamicProviderFT;
};

struct _MI_InstanceFT {
    MI_Result (MI_CALL *Clone)(const MI_Instance* self, MI_Instance** newInstance);
    MI_Result (MI_CALL *Destruct)(MI_Instance* self);
    MI_Result (MI_CALL *Delete)(MI_Instance* self);
    MI_Result (MI_CALL *IsA)(const MI_Instance* self, const MI_ClassDecl* classDecl, MI_Boolean* flag);
    MI_Result (MI_CALL *GetClassName)(const MI_Instance* self, const MI_Char** className);
    MI_Result (MI_CALL *SetNameSpace)(MI_Instance* self, const MI_Char* nameSpace);
    MI_Result (MI_CALL *GetNameSpace)(const MI_Instance* self, const MI_Char** nameSpace);
    MI_Result (MI_CALL *GetElementCount)(const MI_Instance* self, MI_Uint32* count);
    MI_Result (MI_CALL *AddElement)(MI_Instance* self, const MI_Char* name, const MI_Value* value, MI_Type type, MI_Uint32 flags);
    MI_Result (MI_CALL *SetElement)(MI_Instance* self, const MI_Char* name, const MI_Value* value, MI_Type type, MI_Uint32 flags);
    MI_Result (MI_CALL *SetElementAt)(MI_Instance* self, MI_Uint32 index, const MI_Value* value, MI_Type type, MI_Uint32 flags);
    MI_Result (MI_CALL *GetElement)(const MI_Instance* self, const MI_Char* name, MI_Value* value, MI_Type* type, MI_Uint32* flags, MI_Uint32* index);
    MI_Result (MI_CALL *GetElementAt)(const MI_Instance* self, MI_Uint32 index, const MI_Char** name, MI_Value* value, MI_Type* type, MI_Uint32* flags);
    MI_Result (MI_CALL *ClearElement)(MI_Instance* self, const MI_Char* name);
    MI_Result (MI_CALL *ClearElementAt)(MI_Instance* self, MI_Uint32 index);
    MI_Result (MI_CALL *GetServerName)(const MI_Instance* self, const MI_Char** name);
    MI_Result (MI_CALL *SetServerName)(MI_Instance* self, const MI_Char* name);
    MI_Result (MI_CALL *GetClass)(const MI_Instance* self, MI_Class** instanceClass);
};

struct _MI_Instance {
    const MI_InstanceFT* ft;
    const MI_ClassDecl* classDecl;
    const MI_Char* serverName;
    const MI_Char* nameSpace;
    ptrdiff_t reserved[4];
};

struct _MI_ContextFT {
    MI_Result (MI_CALL *PostResult)(MI_Context* context, MI_Result result);
    MI_Result (MI_CALL *PostInstance)(MI_Context* context, const MI_Instance* instance);
    MI_Result (MI_CALL *PostIndication)(MI_Context* context, const MI_Instance* indication, MI_Uint32 subscriptionIDCount, const MI_Char* bookmark);
    MI_Result (MI_CALL *ConstructInstance)(MI_Context* context, const MI_ClassDecl* classDecl, MI_Instance* instance);
    MI_Result (MI_CALL *ConstructParameters)(MI_Context* context, const MI_MethodDecl* methodDecl, MI_Instance* instance);
    MI_Result (MI_CALL *NewInstance)(MI_Context* context, const MI_ClassDecl* classDecl, MI_Instance** instance);
    MI_Result (MI_CALL *NewDynamicInstance)(MI_Context* context, const MI_Char* className, MI_Uint32 flags, MI_Instance** instance);
    MI_Result (MI_CALL *NewParameters)(MI_Context* context, const MI_MethodDecl* methodDecl, MI_Instance** instance);
    MI_Result (MI_CALL *Canceled)(const MI_Context* context, MI_Boolean* flag);
    MI_Result (MI_CALL *GetLocale)(const MI_Context* context, MI_LocaleType localeType, MI_Char locale[MI_MAX_LOCALE_SIZE]);
    MI_Result (MI_CALL *RegisterCancel)(MI_Context* context, MI_CancelCallback callback, void* callbackData);
    MI_Result (MI_CALL *RequestUnload)(MI_Context* context);
    MI_Result (MI_CALL *RefuseUnload)(MI_Context* context);
    MI_Result (MI_CALL *GetLocalSession)(const MI_Context* context, MI_Session* session);
    MI_Result (MI_CALL *SetStringOption)(MI_Context* context, const MI_Char* name, const MI_Char* value);
    MI_Result (MI_CALL *GetStringOption)(MI_Context* context, const MI_Char* name, const MI_Char** value);
    MI_Result (MI_CALL *GetNumberOption)(MI_Context* context, const MI_Char* name, MI_Uint32* value);
    MI_Result (MI_CALL *GetCustomOption)(MI_Context* context, const MI_Char* name, MI_Type* valueType, MI_Value* value);
    MI_Result (MI_CALL *GetCustomOptionCount)(MI_Context* context, MI_Uint32* count);
    MI_Result (MI_CALL *GetCustomOptionAt)(MI_Context* context, MI_Uint32 index, const MI_Char** name, MI_Type* valueType, MI_Value* value);
    MI_Result (MI_CALL *WriteMessage)(MI_Context* context, MI_Uint32 channel, const MI_Char* message);
    MI_Result (MI_CALL *WriteProgress)(MI_Context* context, const MI_Char* activity, const MI_Char* currentOperation, const MI_Char* statusDescription, MI_Uint32 percentComplete, MI_Uint32 secondsRemaining);
    MI_Result (MI_CALL *WriteStreamParameter)(MI_Context* context, const MI_Char* name, const MI_Value* value, MI_Type type, MI_Uint32 flags);
    MI_Result (MI_CALL *WriteCimError)(MI_Context* context, const MI_Instance* error, MI_Boolean* flag);
    MI_Result (MI_CALL *PromptUser)(MI_Context* context, const MI_Char* message, MI_PromptType promptType, MI_Boolean* result);
    MI_Result (MI_CALL *ShouldProcess)(MI_Context* context, const MI_Char* target, const MI_Char* action, MI_Boolean* result);
    MI_Result (MI_CALL *ShouldContinue)(MI_Context* context, const MI_Char* message, MI_Boolean* result);
    MI_Result (MI_CALL *PostError)(MI_Context* context, MI_Uint32 resultCode, const MI_Char* resultType, const MI_Char* errorMessage);
    MI_Result (MI_CALL *PostCimError)(MI_Context* context, const MI_Instance* error);
    MI_Result (MI_CALL *WriteError)(MI_Context* context, MI_Uint32 resultCode, const MI_Char* resultType, const MI_Char* errorMessage, MI_Boolean* flag);
#if MI_API_VERSION == 2
    MI_Result (MI_CALL *GetLifecycleIndicationContext)(const MI_Context* context, MI_LifecycleIndicationContext** lifecycleContext);
#endif
};

struct _MI_Context {
    const MI_ContextFT* ft;
    ptrdiff_t reserved[3];
};

struct _MI_Session {
    MI_Uint64 reserved1;
    ptrdiff_t reserved2;
    const MI_SessionFT* ft;
};

MI_INLINE MI_Result MI_CALL MI_Context_PostResult(MI_Context *context, MI_Result result) {
    if (context && context->ft) return context->ft->PostResult(context, result);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_CALL MI_Context_Canceled(const MI_Context *context, MI_Boolean *flag) {
    if (context && context->ft) return context->ft->Canceled(context, flag);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_CALL MI_Context_GetLocale(const MI_Context *context,
                                                 MI_LocaleType localeType,
                                                 MI_Char locale[MI_MAX_LOCALE_SIZE]) {
    if (context && context->ft) return context->ft->GetLocale(context, localeType, locale);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_CALL MI_Context_RegisterCancel(MI_Context *context,
                                                      MI_CancelCallback callback,
                                                      void *callbackData) {
    if (context && context->ft) return context->ft->RegisterCancel(context, callback, callbackData);
    return MI_RESULT_INVALID_PARAMETER;
}

MI_INLINE MI_Result MI_CALL MI_Context_WriteProgress(MI_Context *context, const MI_Char *activity,
                                                     const MI_Char *currentOperation,
                                                     const MI_Char *statusDescription,
                                                     MI_Uint32 percentComplete,
                                                     MI_Uint32 secondsRemaining) {
    if (context && context->ft)
        return context->ft->WriteProgress(context, activity, currentOperation, statusDescription,
                                          percentComplete, secondsRemaining);
    return MI_RESULT_INVALID_PARAMETER;
}

#endif
