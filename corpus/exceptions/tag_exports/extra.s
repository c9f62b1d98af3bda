# A second tag, (i32, i64), exported by --export=other_tag; kept by nothing else.
.tagtype other_tag i32, i64
.globl other_tag
other_tag:
