"""asyncio.run(main(), debug=True), as tutorials turn on debug mode: `debug` is keyword-only
(None leaves the loop's default), a second positional argument or another keyword is a
TypeError. The lab took debug only by position and refused the keyword."""
import asyncio


async def main(n):
    await asyncio.sleep(0.1)
    print("debug", asyncio.get_running_loop().get_debug())
    return n


print(asyncio.run(main(1), debug=True))
print(asyncio.run(main(2), debug=False))
print(asyncio.run(main(3), debug=None))
coro = main(4)
try:
    asyncio.run(coro, True)
except TypeError as e:
    print("TypeError:", e)
try:
    asyncio.run(coro, verbose=True)
except TypeError as e:
    print("TypeError:", e)
coro.close()
